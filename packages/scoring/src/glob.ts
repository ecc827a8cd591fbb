/**
 * Compiles a glob where `*` stands for any run of characters (slashes included) into an anchored,
 * case-insensitive RegExp. Every other character is literal: `/pricing*` matches `/pricing`,
 * `/pricing/` and `/Pricing/enterprise`, not `/about/pricing`.
 */
export function compileGlob(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}
