import { describe, expect, it } from 'vitest';
import { classifyAddress, parseIpAddress } from './address-class.ts';

describe('the webhook address classifier', () => {
  it.each([
    // IPv4
    ['0.0.0.0', /0\.0\.0\.0\/8/],
    ['0.255.1.2', /0\.0\.0\.0\/8/],
    ['10.1.2.3', /private \(10/],
    ['100.64.0.1', /100\.64\.0\.0\/10/],
    ['100.127.255.255', /100\.64\.0\.0\/10/],
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['169.254.169.254', /link-local/],
    ['172.16.0.1', /172\.16\.0\.0\/12/],
    ['172.31.255.255', /172\.16\.0\.0\/12/],
    ['192.0.0.8', /192\.0\.0\.0\/24/],
    ['192.0.2.1', /192\.0\.2\.0\/24/],
    ['192.88.99.1', /6to4 relay/],
    ['192.168.1.1', /192\.168\.0\.0\/16/],
    ['198.18.0.1', /benchmarking/],
    ['198.19.255.255', /benchmarking/],
    ['198.51.100.7', /198\.51\.100\.0\/24/],
    ['203.0.113.45', /203\.0\.113\.0\/24/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /broadcast/],
    // IPv6 blocks
    ['::', /unspecified/],
    ['::1', /loopback \(::1\)/],
    ['0:0:0:0:0:0:0:1', /loopback \(::1\)/],
    ['fc00::1', /unique local/],
    ['fd12:3456::1', /unique local/],
    ['FD00::1', /unique local/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['febf::1', /link-local/],
    ['fec0::1', /site-local/],
    ['ff02::1', /multicast/],
    ['2001:db8::1', /documentation/],
    ['100::1', /discard/],
    ['3fff::1', /documentation/],
    ['4000::1', /not global unicast/],
    // IPv4-mapped, every spelling
    ['::ffff:127.0.0.1', /IPv4-mapped .* of 127\.0\.0\.1: loopback/],
    ['::ffff:7f00:1', /IPv4-mapped .* of 127\.0\.0\.1: loopback/],
    ['::FFFF:7F00:0001', /IPv4-mapped .* of 127\.0\.0\.1: loopback/],
    ['0:0:0:0:0:ffff:127.0.0.1', /IPv4-mapped .* of 127\.0\.0\.1: loopback/],
    ['0000:0000:0000:0000:0000:FFFF:7F00:0001', /IPv4-mapped .* of 127\.0\.0\.1: loopback/],
    ['[::ffff:127.0.0.1]', /IPv4-mapped .* of 127\.0\.0\.1: loopback/],
    ['::ffff:10.0.0.1', /IPv4-mapped .* private/],
    ['::ffff:a9fe:a9fe', /of 169\.254\.169\.254: link-local/],
    // IPv4-compatible (all of ::/96), IPv4-translated, NAT64, 6to4, Teredo
    ['::127.0.0.1', /IPv4-compatible/],
    ['::7f00:1', /IPv4-compatible/],
    ['::8.8.8.8', /IPv4-compatible/],
    ['::ffff:0:127.0.0.1', /IPv4-translated .* of 127\.0\.0\.1: loopback/],
    ['::ffff:0:7f00:1', /IPv4-translated .* loopback/],
    ['64:ff9b::127.0.0.1', /NAT64 .* of 127\.0\.0\.1: loopback/],
    ['64:ff9b::a00:1', /NAT64 .* of 10\.0\.0\.1: private/],
    ['64:ff9b:1::8.8.8.8', /local-use NAT64/],
    ['64:ff9b:1:ffff::1', /local-use NAT64/],
    ['2002:7f00:1::1', /6to4 .* of 127\.0\.0\.1: loopback/],
    ['2002:c0a8:101::', /6to4 .* of 192\.168\.1\.1: private/],
    ['2001::1', /Teredo/],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
    ['2001:2::1', /IETF protocol assignments/],
    // Not an IP literal at all
    ['localhost', /not an IP address/],
    ['0177.0.0.1', /not an IP address/],
    ['127.1', /not an IP address/],
    ['2130706433', /not an IP address/],
    ['0x7f.0.0.1', /not an IP address/],
    ['256.0.0.1', /not an IP address/],
    ['1:2:3:4:5:6:7:8:9', /not an IP address/],
    ['1::2::3', /not an IP address/],
    ['::ffff:127.0.0.1:1', /not an IP address/],
    ['', /not an IP address/],
  ])('refuses %s', (address, reason) => {
    const verdict = classifyAddress(address);
    expect(verdict.public).toBe(false);
    expect(verdict.public ? '' : verdict.reason).toMatch(reason);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '192.0.3.1',
    '198.20.0.1',
    '223.255.255.255',
    '2606:4700::1111',
    '2a00:1450:4001:82b::200e',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '0:0:0:0:0:ffff:93.184.216.34',
    '::ffff:0:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    '2001:200::1',
  ])('allows %s', (address) => {
    expect(classifyAddress(address)).toEqual({ public: true });
  });

  it('parses every spelling of an address to the same bytes', () => {
    const mapped = [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '0:0:0:0:0:ffff:127.0.0.1',
      '0:0:0:0:0:FFFF:7F00:1',
      '0000:0000:0000:0000:0000:ffff:7f00:0001',
      '::0:ffff:127.0.0.1',
    ].map((text) => Array.from(parseIpAddress(text) ?? []));
    expect(new Set(mapped.map(String)).size).toBe(1);
    expect(mapped[0]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1]);
    expect(Array.from(parseIpAddress('127.0.0.1') ?? [])).toEqual([127, 0, 0, 1]);
  });
});
