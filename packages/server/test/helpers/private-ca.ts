import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A certificate authority of its own and a server certificate for localhost that it signed. */
export interface PrivateCa {
  /** The CA's certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** The server's private key and certificate (PEM). */
  key: string;
  cert: string;
  remove(): void;
}

// A configuration of its own, so the result does not depend on the system's openssl.cnf.
const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
authorityKeyIdentifier = keyid
`;

// P-256 keys: generated in milliseconds, where RSA would slow every run down.
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Creates the CA and the certificate with the openssl CLI, in a fresh temporary directory. */
export function createPrivateCa(): PrivateCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-ca-'));
  const file = (name: string): string => path.join(dir, name);
  fs.writeFileSync(file('openssl.cnf'), CONFIG);
  const openssl = (...args: string[]): void => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      // A missing program is a broken environment, not a reason to skip the test.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error('The openssl command is not installed. Install it (Debian: apt-get install openssl) to run the SMTP-over-TLS test.');
      throw error;
    }
  };
  openssl(
    'req',
    '-config',
    'openssl.cnf',
    '-x509',
    ...NEW_KEY,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Gatehouse test CA',
    '-extensions',
    'ca',
  );
  openssl('req', '-config', 'openssl.cnf', '-new', ...NEW_KEY, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'openssl.cnf',
    '-extensions',
    'server',
  );
  return {
    caFile: file('ca.pem'),
    key: fs.readFileSync(file('server.key'), 'utf8'),
    cert: fs.readFileSync(file('server.pem'), 'utf8'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
