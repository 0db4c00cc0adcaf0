/**
 * Keys and types of ConfigMap and Secret data as the real validation checks them: every key a valid config
 * key (`[-._a-zA-Z0-9]+`, not `.`/`..`), no key in both ConfigMap bags, and the keys each Secret type needs
 * (`tls.crt`/`tls.key`, `ssh-privatekey`, ...).
 *
 * Start with {@link validateConfigMapData} and {@link validateSecretData}.
 */
import type { StatusCause } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';
import { asObj } from './jsonValues.js';
import { invalidCause, requiredCause } from './nameValidation.js';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** `IsConfigMapKey`: why `key` cannot name a file in a volume (empty when it can). */
export function configKeyProblems(key: string): string[] {
  const out: string[] = [];
  if (key.length > 253) out.push('must be no more than 253 characters');
  if (!CONFIG_KEY.test(key)) out.push(CONFIG_KEY_MSG);
  // Keys become file names in a volume: they must not climb out of it.
  if (key === '.') out.push("must not be '.'");
  else if (key === '..') out.push("must not be '..'");
  else if (key.startsWith('..')) out.push("must not start with '..'");
  return out;
}

function keyCauses(bag: string, data: Record<string, unknown>, causes: StatusCause[]): void {
  for (const key of Object.keys(data))
    for (const msg of configKeyProblems(key)) causes.push(invalidCause(`${bag}[${key}]`, key, msg));
}

export function validateConfigMapData(o: KObject): StatusCause[] {
  const data = asObj(o['data']) ?? {};
  const binary = asObj(o['binaryData']) ?? {};
  const causes: StatusCause[] = [];
  for (const key of Object.keys(data)) {
    for (const msg of configKeyProblems(key)) causes.push(invalidCause(`data[${key}]`, key, msg));
    if (key in binary)
      causes.push(invalidCause(`data[${key}]`, key, 'duplicate of key present in binaryData'));
  }
  keyCauses('binaryData', binary, causes);
  return causes;
}

/** The keys a Secret of each type must carry (checked after `stringData` is merged into `data`). */
export function validateSecretData(o: KObject): StatusCause[] {
  const data = asObj(o['data']) ?? {};
  const causes: StatusCause[] = [];
  keyCauses('data', data, causes);
  const need = (key: string): void => {
    if (!(key in data)) causes.push(requiredCause(`data[${key}]`));
  };
  switch (o['type']) {
    case 'kubernetes.io/service-account-token': {
      const name = o.metadata?.annotations?.['kubernetes.io/service-account.name'];
      if (!name) causes.push(requiredCause('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    }
    case 'kubernetes.io/dockercfg':
      need('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      need('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one must be there.
      if (!('username' in data) && !('password' in data)) {
        need('username');
        need('password');
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (typeof data['ssh-privatekey'] !== 'string' || data['ssh-privatekey'] === '')
        causes.push(requiredCause('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      need('tls.crt');
      need('tls.key');
      break;
    default:
  }
  return causes;
}
