import { describe, expect, it } from 'vitest';
import { assertNotLocalTarget, localTargetReason, TargetRefusedError } from './public-target.ts';

describe('webhook targets refused before any DNS lookup', () => {
  it.each([
    // What WHATWG URL makes of numeric IPv4 spellings: all of them 127.0.0.1.
    ['http://2130706433/', /loopback \(127/],
    ['http://0x7f.1/', /loopback \(127/],
    ['http://0x7f000001/', /loopback \(127/],
    ['http://0177.0.0.1/', /loopback \(127/],
    ['http://127.1/', /loopback \(127/],
    ['http://127.0.0.1./', /loopback \(127/],
    ['http://%31%32%37.0.0.1/', /loopback \(127/],
    ['http://0/', /0\.0\.0\.0\/8/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://10.0.0.5:8080/hook', /private/],
    // IPv6 literals, which the URL parser rewrites (`[::ffff:127.0.0.1]` → `[::ffff:7f00:1]`).
    ['http://[::ffff:127.0.0.1]:9000/', /IPv4-mapped .* loopback/],
    ['http://[0:0:0:0:0:ffff:127.0.0.1]/', /IPv4-mapped .* loopback/],
    ['http://[::FFFF:7F00:1]/', /IPv4-mapped .* loopback/],
    ['http://[::ffff:0:127.0.0.1]/', /IPv4-translated .* loopback/],
    ['http://[::127.0.0.1]/', /IPv4-compatible/],
    ['http://[64:ff9b::10.0.0.1]/', /NAT64 .* private/],
    ['http://[2002:a9fe:a9fe::1]/', /6to4 .* link-local/],
    ['http://[2001:0:4136:e378::1]/', /Teredo/],
    ['http://[::1]/', /loopback \(::1\)/],
    ['http://[fd00::2]/', /unique local/],
    ['http://[fe80::1]/', /link-local/],
    // Local names
    ['http://localhost:8080/', /local/],
    ['http://LOCALHOST./', /local/],
    ['http://api.localhost/', /local/],
    ['http://printer.local/', /local/],
    ['http://metadata.google.internal/', /local/],
    ['http://nas.home.arpa/', /local/],
    ['http://metadata/computeMetadata/v1/', /single label/],
  ])('refuses %s', (url, reason) => {
    expect(localTargetReason(new URL(url))).toMatch(reason);
    expect(() => assertNotLocalTarget(new URL(url))).toThrow(TargetRefusedError);
  });

  it.each([
    'https://hooks.acme.test/leadbeam',
    'https://crm.example/x',
    'http://93.184.216.34/hook',
    'https://8.8.8.8/',
    'https://[2606:4700::1111]/',
    'https://[::ffff:8.8.8.8]/',
    'https://localhost.example.com/',
    'https://internal.example.com/',
  ])('leaves %s to the connect-time DNS check', (url) => {
    expect(localTargetReason(new URL(url))).toBeNull();
  });

  it('says how to allow private targets, and never names more than the host', () => {
    expect(() => assertNotLocalTarget(new URL('http://127.0.0.1:9000/secret-path?token=abc'))).toThrow(
      'refused: the address is loopback (127.0.0.0/8) (set LEADBEAM_WEBHOOK_PRIVATE_TARGETS=true to allow)',
    );
  });
});
