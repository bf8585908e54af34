// Types of the parts of `ext2fs` (balena-io/node-ext2fs, Apache-2.0: libext2fs in WASM) this package uses.
declare module 'ext2fs' {
  /** The block device ext2fs reads and writes through (offsets in bytes). */
  export interface Ext2fsDisk {
    read(buffer: Uint8Array, bufferOffset: number, length: number, fileOffset: number): Promise<unknown>;
    write(buffer: Uint8Array, bufferOffset: number, length: number, fileOffset: number): Promise<unknown>;
    discard(offset: number, length: number): Promise<void>;
    flush(): Promise<void>;
  }
  export interface Ext2fsStats {
    mode: number;
    uid: number;
    gid: number;
    size: number;
    ino: number;
    nlink: number;
    mtime: Date;
    isFile(): boolean;
    isDirectory(): boolean;
    isSymbolicLink(): boolean;
  }
  export interface Ext2fsPromises {
    readdir(path: string): Promise<string[]>;
    lstat(path: string): Promise<Ext2fsStats>;
    stat(path: string): Promise<Ext2fsStats>;
    open(path: string, flags: string | number, mode?: number): Promise<{ readonly fd: number }>;
    read(
      fd: number,
      buffer: Uint8Array,
      offset: number,
      length: number,
      position: number,
    ): Promise<{ bytesRead: number }>;
    close(fd: number): Promise<void>;
    writeFile(path: string, data: Uint8Array): Promise<void>;
    chmod(path: string, mode: number): Promise<void>;
    chown(path: string, uid: number, gid: number): Promise<void>;
    mkdir(path: string): Promise<void>;
  }
  export function withMountedDisk<T>(
    disk: Ext2fsDisk,
    offset: number,
    fn: (fs: { promises: Ext2fsPromises }) => Promise<T>,
  ): Promise<T>;
}
