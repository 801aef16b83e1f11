// Unit tests of password authentication (host/wire/auth.ts): SCRAM-SHA-256 key derivation against the RFC 7677
// test vector, full server exchanges driven by a client written from RFC 5802, and MD5 responses.
import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SqlError } from '../../host/common/errors.js';
import {
  authMethodFor, formatScramSecret, md5Secret, parseScramSecret, ScramExchange, scramSecret, verifyMd5,
} from '../../host/wire/auth.js';

const hmac = (k: Buffer, d: string): Buffer => createHmac('sha256', k).update(d).digest();
const sha256 = (d: Buffer): Buffer => createHash('sha256').update(d).digest();

/** The client half of SCRAM-SHA-256 (RFC 5802 §3), written independently of the server. */
function clientFinal(password: string, clientFirstBare: string, serverFirst: string, gs2 = 'n,,'): { final: string; serverSignature: string } {
  const attrs = Object.fromEntries(serverFirst.split(',').map((a) => [a[0], a.slice(2)]));
  const salted = pbkdf2Sync(password, Buffer.from(attrs.s!, 'base64'), Number(attrs.i), 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  const withoutProof = `c=${Buffer.from(gs2).toString('base64')},r=${attrs.r}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const sig = hmac(sha256(clientKey), authMessage);
  const proof = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) proof[i] = clientKey[i]! ^ sig[i]!;
  return { final: `${withoutProof},p=${proof.toString('base64')}`, serverSignature: hmac(hmac(salted, 'Server Key'), authMessage).toString('base64') };
}

const failsWith = (code: string) => (e: unknown): boolean => e instanceof SqlError && e.code === code && e.severity === 'FATAL';

describe('SCRAM-SHA-256', () => {
  it('derives the keys of the RFC 7677 test vector', () => {
    const k = scramSecret('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
    const authMessage = 'n=user,r=rOprNGfwEbeRWgbNEkqO,'
      + 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,'
      + 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    assert.equal(hmac(k.serverKey, authMessage).toString('base64'), '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    const sig = hmac(k.storedKey, authMessage);
    const proof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
    const clientKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ sig[i]!;
    assert.deepEqual(sha256(clientKey), k.storedKey);
    assert.deepEqual(parseScramSecret(formatScramSecret(k)), k);
  });

  it('accepts the right password and proves itself to the client', () => {
    for (const stored of ['s3cret pass', formatScramSecret(scramSecret('s3cret pass', randomBytes(16), 4096))]) {
      const ex = new ScramExchange('alice', { password: stored });
      const bare = `n=,r=${randomBytes(18).toString('base64')}`;
      const serverFirst = ex.start(`n,,${bare}`);
      assert.match(serverFirst, /^r=[^,]+,s=[A-Za-z0-9+/=]+,i=4096$/);
      const c = clientFinal('s3cret pass', bare, serverFirst);
      assert.equal(ex.finish(c.final), `v=${c.serverSignature}`);
    }
  });

  it('rejects a wrong password, an unknown user and an md5-only user with 28P01', () => {
    const cases: [string, { password?: string } | undefined][] = [['alice', { password: 'right' }], ['nobody', undefined], ['bob', {}]];
    for (const [user, record] of cases) {
      const ex = new ScramExchange(user, record);
      const bare = 'n=,r=clientnonce123';
      const serverFirst = ex.start(`n,,${bare}`);
      const c = clientFinal('wrong', bare, serverFirst);
      assert.throws(() => ex.finish(c.final), (e) => failsWith('28P01')(e) && /password authentication failed for user/.test((e as Error).message));
    }
  });

  it('gives an unknown user a stable salt, so that logins cannot probe for users', () => {
    const s1 = new ScramExchange('ghost', undefined).start('n,,n=,r=abc').split(',')[1];
    const s2 = new ScramExchange('ghost', undefined).start('n,,n=,r=def').split(',')[1];
    assert.equal(s1, s2);
  });

  it('rejects malformed messages, a changed nonce and channel binding with 08P01', () => {
    assert.throws(() => new ScramExchange('a', { password: 'x' }).start('garbage'), failsWith('08P01'));
    assert.throws(() => new ScramExchange('a', { password: 'x' }).start('p=tls-server-end-point,,n=,r=abc'), failsWith('08P01'));
    const ex = new ScramExchange('a', { password: 'x' });
    const serverFirst = ex.start('n,,n=,r=abc');
    const c = clientFinal('x', 'n=,r=abc', serverFirst.replace(/^r=abc/, 'r=abd'));
    assert.throws(() => ex.finish(c.final), failsWith('08P01'));
  });
});

describe('MD5', () => {
  const md5 = (s: string | Buffer): string => createHash('md5').update(s).digest('hex');
  const response = (password: string, user: string, salt: Buffer): string => `md5${md5(Buffer.concat([Buffer.from(md5(password + user)), salt]))}`;

  it('checks the salted response against a cleartext or an md5 secret', () => {
    const salt = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
    assert.equal(md5Secret('pencil', 'user'), `md5${md5('penciluser')}`);
    verifyMd5('user', { password: 'pencil' }, salt, response('pencil', 'user', salt));
    verifyMd5('user', { password: md5Secret('pencil', 'user') }, salt, response('pencil', 'user', salt));
    assert.throws(() => verifyMd5('user', { password: 'pencil' }, salt, response('pen', 'user', salt)), failsWith('28P01'));
    assert.throws(() => verifyMd5('user', undefined, salt, response('pencil', 'user', salt)), failsWith('28P01'));
  });

  it('is chosen only for users whose stored secret is md5', () => {
    assert.equal(authMethodFor({ password: md5Secret('p', 'u') }), 'md5');
    assert.equal(authMethodFor({ password: 'p' }), 'scram-sha-256');
    assert.equal(authMethodFor(undefined), 'scram-sha-256');
  });
});
