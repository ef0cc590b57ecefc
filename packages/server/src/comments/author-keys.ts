import { foldArabic } from '../content/fold-arabic.js';
import { hmac, type Keys } from '../crypto/keys.js';
import { ipNetwork } from '../http/client-ip.js';

/** Keyed hash of the client's network (see {@link ipNetwork}): `comments.ip_net_hash`, IP bans. */
export function ipNetHash(keys: Keys, ip: string): Buffer {
  return hmac(keys.ip, 'net:v1', ipNetwork(ip));
}

/** Keyed hash of a folded author name: name bans match «أحمد» and «احمد» alike. */
export function nameHash(keys: Keys, name: string): Buffer {
  return hmac(keys.emailIndex, 'name:v1', foldArabic(name));
}
