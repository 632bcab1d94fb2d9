import pkg from '../../package.json' with { type: 'json' };

/** The server package's version; esbuild inlines it, so the bundle needs no package.json. */
export const VERSION: string = pkg.version;
