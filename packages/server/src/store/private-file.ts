import fs from 'node:fs';

/**
 * Creates an empty `file` readable and writable by its owner only, unless it exists already (its
 * mode is then left as the operator set it). SQLite gives the database's -wal and -shm files the
 * database file's own mode when it creates them, whatever the umask, so they follow.
 */
export function createPrivateFile(file: string): void {
  let fd: number;
  try {
    // 'wx': another process creating it at the same moment wins, and both open that one.
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    // open()'s mode goes through the umask, which could leave 0400 (read-only for SQLite).
    fs.fchmodSync(fd, 0o600);
  } finally {
    fs.closeSync(fd);
  }
}
