// `node --import ./scripts/ts-register.mjs file.ts` runs a TypeScript file of this workspace directly.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
