// A node:test reporter that writes one line per test file: the wall time from its first to its
// last event and the sum of its top-level tests' durations, slowest first. scripts/test.mjs
// adds it when TEST_FILE_TIMES names a file to write (for finding where the suite's time goes).
// In a shard (scripts/test.mjs) each file is one top-level suite named "[lane] file": its time is
// that suite's, hooks included, and its wall time the same; the lane is kept in the line.
import path from 'node:path';

export default async function* fileTimes(source) {
  const files = new Map();
  const root = process.cwd();
  for await (const event of source) {
    let file = event.data?.file;
    if (!file) continue;
    const shard = /[\\/]shard-\d+\.mjs$/.test(file);
    if (shard) {
      if (event.data.nesting !== 0 || (event.type !== 'test:pass' && event.type !== 'test:fail')) continue;
      const named = /^(\[[^\]]+\]) (.+)$/.exec(event.data.name);
      file = named ? `${named[1]} ${path.join(root, named[2])}` : path.join(root, event.data.name);
      const duration = event.data.details?.duration_ms ?? 0;
      files.set(file, { first: 0, last: duration, tests: duration, failed: event.type === 'test:fail' ? 1 : 0 });
      continue;
    }
    const now = performance.now();
    const entry = files.get(file) ?? { first: now, last: now, tests: 0, failed: 0 };
    entry.last = now;
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      entry.tests += event.data.details?.duration_ms ?? 0;
      if (event.type === 'test:fail') entry.failed++;
    }
    files.set(file, entry);
  }
  const relative = (file) => {
    const lane = /^(\[[^\]]+\]) (.+)$/.exec(file);
    return lane ? `${lane[1]} ${path.relative(root, lane[2])}` : path.relative(root, file);
  };
  // Inside a shard, nested tests' events name the file that defines them: the shard's rows hold
  // those files' times already.
  const sharded = [...files.keys()].some((file) => file.startsWith('['));
  const rows = [...files]
    .filter(([file]) => !sharded || file.startsWith('['))
    .map(([file, e]) => ({ file: relative(file), wall: (e.last - e.first) / 1000, tests: e.tests / 1000, failed: e.failed }));
  rows.sort((a, b) => b.tests - a.tests);
  for (const r of rows)
    yield `${r.tests.toFixed(1).padStart(7)} s tests ${r.wall.toFixed(1).padStart(7)} s wall${r.failed ? ` ${r.failed} failed` : ''}  ${r.file}\n`;
  yield `${rows
    .reduce((s, r) => s + r.tests, 0)
    .toFixed(1)
    .padStart(7)} s total over ${rows.length} files\n`;
}
