/**
 * Table output (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), as `kubectl get` asks for it.
 *
 * Start with {@link tableRequested}. Until the table module is wired in, the server answers with the plain
 * list, which kubectl also accepts (it asks for Table, then JSON).
 */
import type { StoredObject } from '../storage/storedObject.js';
import type { RequestContext } from './context.js';

export function tableRequested(_ctx: RequestContext): boolean {
  return false;
}

export function sendTable(_ctx: RequestContext, _items: StoredObject[], _rv: number, _continueToken: string | undefined): void {
  throw new Error('Table output is not available');
}
