// pnpm's install hook. typedoc (`pnpm docs:api`) reads sources through the TypeScript JS API, which
// TypeScript 7 (native, the workspace's `tsc`) no longer ships. Its peer would resolve to the root's
// TypeScript 7, so typedoc gets TypeScript 5.9 as a dependency of its own instead; nothing else sees it.
module.exports = {
  hooks: {
    readPackage(pkg) {
      if (pkg.name === 'typedoc') {
        delete pkg.peerDependencies?.typescript;
        pkg.dependencies = { ...pkg.dependencies, typescript: '5.9.3' };
      }
      return pkg;
    },
  },
};
