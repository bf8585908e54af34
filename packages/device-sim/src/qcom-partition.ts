/**
 * A sparse partition of the simulated Qualcomm device: its size, the byte every unwritten position reads as
 * (`0xFF` erased, `0x00` after `fastboot flash`), and the extents actually written. Extents are immutable and never
 * overlap, so two partitions may share one (the two modemst copies share their ciphertext: it depends on the key
 * only, see `qcom-cipher.ts`). A fresh 64 MiB device holds no partition bytes; a flashed fsg holds the image only.
 * A sealed modemst copy is a lazy extent: its length is known when the modem writes it, its bytes are made the
 * first time anything reads them (a boot that nobody saves or reads back never holds the sealed EFS).
 * @module
 */

/** Bytes written at `offset`. Never modified after it is stored. */
export interface QcomPartitionExtent {
  readonly offset: number;
  /** `bytes.length`, known without making the bytes of a lazy extent. */
  readonly length: number;
  readonly bytes: Uint8Array;
}

/**
 * An extent holding `bytes` (taken, not copied).
 * @example extentOf(0, image)
 */
export function extentOf(offset: number, bytes: Uint8Array): QcomPartitionExtent {
  return { offset, length: bytes.length, bytes };
}

/** An extent whose bytes are made on first read, once; {@link heldBytes} counts it only after that. */
class LazyExtent implements QcomPartitionExtent {
  readonly offset: number;
  readonly length: number;
  #bytes: Uint8Array | undefined;
  #make: (() => Uint8Array) | undefined;
  #chunks: (() => Iterable<Uint8Array>) | undefined;
  constructor(offset: number, length: number, make: () => Uint8Array, chunks?: () => Iterable<Uint8Array>) {
    this.offset = offset;
    this.length = length;
    this.#make = make;
    this.#chunks = chunks;
  }
  /** The bytes in pieces, without making them whole when they are not made yet and a chunk maker was given. */
  pieces(): Iterable<Uint8Array> {
    return this.#bytes === undefined && this.#chunks !== undefined ? this.#chunks() : [this.bytes];
  }
  get made(): boolean {
    return this.#bytes !== undefined;
  }
  get bytes(): Uint8Array {
    if (this.#bytes === undefined) {
      const bytes = (this.#make as () => Uint8Array)();
      if (bytes.length !== this.length)
        throw new RangeError(`a lazy extent of ${this.length} bytes was made with ${bytes.length}`);
      this.#bytes = bytes;
      this.#make = undefined; // let go of what the makers captured
      this.#chunks = undefined;
    }
    return this.#bytes;
  }
}

/**
 * An extent of `length` bytes made by `make` the first time it is read (`make` must not depend on state that changes
 * later: it captures what it needs when the extent is created). `chunks`, when given, yields the same bytes in
 * pieces: {@link partitionChunks} uses it, so writing the partition out does not make the extent whole.
 * @example lazyExtent(52, plan.length, sealer.body, sealer.bodyWindows)
 */
export function lazyExtent(
  offset: number,
  length: number,
  make: () => Uint8Array,
  chunks?: () => Iterable<Uint8Array>,
): QcomPartitionExtent {
  return new LazyExtent(offset, length, make, chunks);
}

/** A partition: `size` bytes, of which only `extents` are held; every other byte reads as `fill`. */
export interface QcomPartition {
  readonly size: number;
  readonly fill: 0x00 | 0xff;
  /** Sorted by offset, non-overlapping, each inside `0…size`. */
  readonly extents: readonly QcomPartitionExtent[];
}

/**
 * An erased partition (all 0xFF), holding no bytes.
 * @example erasedPartition(0x180000).extents.length === 0
 */
export function erasedPartition(size: number): QcomPartition {
  return { size, fill: 0xff, extents: [] };
}

/**
 * A partition whose head is `bytes` (taken, not copied) and whose rest reads as `fill`.
 * @example headPartition(size, image, 0x00) // what `fastboot flash` leaves
 */
export function headPartition(size: number, bytes: Uint8Array, fill: 0x00 | 0xff): QcomPartition {
  if (bytes.length > size) throw new RangeError(`${bytes.length} bytes do not fit a ${size}-byte partition`);
  return { size, fill, extents: bytes.length > 0 ? [extentOf(0, bytes)] : [] };
}

/**
 * The bytes `start…end` of a partition: a view of one extent when it covers the range, else a new array.
 * @example readPartition(p, 0, 8) // the magic of a modemst copy
 */
export function readPartition(p: QcomPartition, start: number = 0, end: number = p.size): Uint8Array {
  const s = Math.max(0, Math.min(start, p.size));
  const e = Math.max(s, Math.min(end, p.size));
  for (const x of p.extents) {
    if (x.offset <= s && e <= x.offset + x.length) return x.bytes.subarray(s - x.offset, e - x.offset);
  }
  const out = new Uint8Array(e - s).fill(p.fill);
  for (const x of p.extents) {
    const from = Math.max(s, x.offset);
    const to = Math.min(e, x.offset + x.length);
    if (from < to) out.set(x.bytes.subarray(from - x.offset, to - x.offset), from - s);
  }
  return out;
}

/**
 * The whole partition in chunks of at most `chunk` bytes (for writing it to a file without materialising it).
 * @example await writeFileAtomic(path, partitionChunks(p))
 */
export function* partitionChunks(p: QcomPartition, chunk: number = 1 << 20): Generator<Uint8Array> {
  let at = 0;
  const fill = new Uint8Array(Math.min(chunk, p.size)).fill(p.fill);
  for (const x of p.extents) {
    while (at < x.offset) {
      const n = Math.min(chunk, x.offset - at);
      yield fill.subarray(0, n);
      at += n;
    }
    if (x instanceof LazyExtent) yield* x.pieces();
    else if (x.length > 0) yield x.bytes;
    at = x.offset + x.length;
  }
  while (at < p.size) {
    const n = Math.min(chunk, p.size - at);
    yield fill.subarray(0, n);
    at += n;
  }
}

function allEqual(bytes: Uint8Array, b: number): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== b) return false;
  return true;
}

/**
 * True when every byte of the partition is 0x00 or every byte is 0xFF (erased or zeroed), as `isBlank` on the
 * whole partition would say.
 * @example isBlankPartition(erasedPartition(4096)) // true
 */
export function isBlankPartition(p: QcomPartition): boolean {
  const held = p.extents.reduce((n, x) => n + x.length, 0);
  const first = p.extents[0];
  const b = held < p.size || first === undefined ? p.fill : (first.bytes[0] as number);
  if (b !== 0x00 && b !== 0xff) return false;
  return p.extents.every((x) => allEqual(x.bytes, b));
}

/**
 * A partition read from a raw dump (a saved `.bin`): trailing 0xFF (or, after a flash, 0x00) bytes become the fill
 * and are not held. The head is copied when that frees most of the buffer, else kept as a view.
 * @example partitionFromBytes(await readFile('fsg.bin')).extents[0]?.bytes.length // the image, not the partition
 */
export function partitionFromBytes(bytes: Uint8Array): QcomPartition {
  const last = bytes[bytes.length - 1];
  const fill: 0x00 | 0xff = last === 0x00 ? 0x00 : 0xff;
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === fill) end--;
  const head = end * 2 < bytes.length ? bytes.slice(0, end) : bytes.subarray(0, end);
  return headPartition(bytes.length, head, fill);
}

/**
 * Bytes the partitions hold in memory, each shared extent counted once and a lazy extent only once it is made (for
 * tests and the README's figure).
 * @example heldBytes(Object.values(dev.state.partitions)) // 0 for a fresh device
 */
export function heldBytes(partitions: Iterable<QcomPartition>): number {
  const seen = new Set<Uint8Array>();
  let n = 0;
  for (const p of partitions)
    for (const x of p.extents) {
      if (x instanceof LazyExtent && !x.made) continue;
      const key = x.bytes;
      if (seen.has(key)) continue;
      seen.add(key);
      n += x.bytes.length;
    }
  return n;
}
