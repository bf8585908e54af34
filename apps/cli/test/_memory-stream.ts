import { Writable } from 'node:stream';

/** A stream that keeps what is written, posing as a terminal of `columns` width when `isTTY` (in-process CLI runs). */
export type MemoryStream = Writable & { text: string; isTTY: boolean; columns: number };

export function memoryStream(isTTY = false, columns = 80): MemoryStream {
  const s = new Writable({
    write(chunk, _enc, cb) {
      s.text += String(chunk);
      cb();
    },
  }) as MemoryStream;
  s.text = '';
  s.isTTY = isTTY;
  s.columns = columns;
  return s;
}
