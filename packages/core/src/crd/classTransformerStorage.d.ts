// class-transformer keeps `@Type` metadata in a module singleton that its index does not export; the
// CommonJS build's own module is the one every importer of 'class-transformer' shares.
declare module 'class-transformer/cjs/storage.js' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
  export const defaultMetadataStorage: MetadataStorage;
}
