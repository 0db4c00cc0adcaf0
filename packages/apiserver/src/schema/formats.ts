/**
 * String formats a CRD schema may check (`format: date-time`, `uuid`, ...), with the rules of
 * go-openapi's strfmt registry that the real server uses. Start with {@link checkFormat}; formats the
 * server does not support are ignored, as the server strips them.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID_V = (v: number) =>
  new RegExp(`^[0-9a-f]{8}-?[0-9a-f]{4}-?${v}[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$`, 'i');
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const HOSTNAME =
  /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DURATION = /^(-?\d+(\.\d+)?\s*(ns|us|µs|ms|s|m|h|d|w)\s*)+$/;

function isIPv6(s: string): boolean {
  if (!s.includes(':')) return false;
  try {
    return new URL(`http://[${s}]/`).hostname !== '';
  } catch {
    return false;
  }
}

function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  const n = Number(bits);
  if (IPV4.test(ip)) return n <= 32;
  return isIPv6(ip) && n <= 128;
}

const CHECKS: Record<string, (s: string) => boolean> = {
  date: (s) => DATE.test(s) && !Number.isNaN(Date.parse(s)),
  'date-time': (s) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  datetime: (s) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  uuid: (s) => UUID.test(s),
  uuid3: (s) => UUID_V(3).test(s),
  uuid4: (s) => UUID_V(4).test(s),
  uuid5: (s) => UUID_V(5).test(s),
  email: (s) => EMAIL.test(s),
  hostname: (s) => s.length <= 255 && HOSTNAME.test(s),
  ipv4: (s) => IPV4.test(s),
  ipv6: (s) => isIPv6(s),
  cidr: (s) => isCIDR(s),
  mac: (s) => MAC.test(s),
  byte: (s) => s.length % 4 === 0 && BASE64.test(s),
  duration: (s) => DURATION.test(s),
};

/** `true` when `value` satisfies `format`, or when the format is not one the server checks. */
export function checkFormat(format: string, value: string): boolean {
  const check = CHECKS[format];
  return check === undefined ? true : check(value);
}

/** Whether the server validates this format at all. */
export function isKnownFormat(format: string): boolean {
  return CHECKS[format] !== undefined;
}
