import { hash, verify } from '@node-rs/argon2';
import fs from 'node:fs';
const opts = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };
const h = await hash('pw', opts);
const ru0 = process.resourceUsage();
const N = 100; const conc = Number(process.argv[2] ?? 1);
await Promise.all(Array.from({ length: conc }, async () => { for (let i = 0; i < N / conc; i++) await verify(h, 'pw'); }));
const ru1 = process.resourceUsage();
console.log('conc', conc, 'user ms/hash', ((ru1.userCPUTime - ru0.userCPUTime) / 1000 / N).toFixed(2), 'sys ms/hash', ((ru1.systemCPUTime - ru0.systemCPUTime) / 1000 / N).toFixed(2), 'minflt/hash', ((ru1.minorPageFault - ru0.minorPageFault) / N).toFixed(0));
