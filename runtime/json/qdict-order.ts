/**
 * The member order of QEMU's QDict (qobject/qdict.c): 512 hash buckets
 * walked in order, newest entry first within a bucket. QEMU's output lists
 * members in this order, and the dispatcher checks request members in it,
 * which decides which error wins when several members are wrong.
 */

const BUCKETS = 512;
const bucketCache = new Map<string, number>();

/** tdb_hash(key) % 512. */
export function qdictBucket(key: string): number {
  const cached = bucketCache.get(key);
  if (cached !== undefined) return cached;
  let bytes: ArrayLike<number>;
  if (/^[\x01-\x7f]*$/.test(key)) {
    const codes: number[] = [];
    for (let i = 0; i < key.length; i++) codes.push(key.charCodeAt(i));
    bytes = codes;
  } else {
    bytes = modifiedUtf8(key);
  }
  let value = Math.imul(0x238f13af, bytes.length) >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    value = (value + ((bytes[i]! << ((i * 5) % 24)) >>> 0)) >>> 0;
  }
  const hash = (Math.imul(1103515243, value) + 12345) >>> 0;
  const bucket = hash % BUCKETS;
  if (bucketCache.size < 4096) bucketCache.set(key, bucket);
  return bucket;
}

/** UTF-8 bytes with U+0000 as C0 80, as QEMU stores strings. */
function modifiedUtf8(key: string): number[] {
  const out: number[] = [];
  key.split('\0').forEach((part, i) => {
    if (i > 0) out.push(0xc0, 0x80);
    out.push(...Buffer.from(part, 'utf8'));
  });
  return out;
}

/** Keys in QDict iteration order, given their insertion order. */
export function qdictOrder(keys: readonly string[]): string[] {
  if (keys.length < 2) return keys.slice();
  const entries = keys.map((key, index) => ({ key, index, bucket: qdictBucket(key) }));
  entries.sort((a, b) => a.bucket - b.bucket || b.index - a.index);
  return entries.map((e) => e.key);
}
