import { describe, expect, it } from 'vitest';
import { generateKey, generateToken, isWellFormedKey, isWellFormedToken } from '../../../connector/credentials/key-format';

// Issued pairs live in stores for years: the checksum a new build computes must be the one an old
// build wrote. These were issued by an earlier build (demo pairs of a first `sheetgate serve`).
const ISSUED_KEY = 'sgk_MNSbEAfoBwPdxeoJ6N92mNBnQ97D2yf2GAF7WkWXxKn4NO2L1';
const ISSUED_TOKEN = 'sgt_2br54A3dFPiGHVtFUqNPbO3L9s3V';

describe('key and token checksums', () => {
  it('accepts a pair an earlier build issued, and refuses it with any character changed', () => {
    expect(isWellFormedKey(ISSUED_KEY)).toBe(true);
    expect(isWellFormedToken(ISSUED_TOKEN)).toBe(true);
    for (const at of [4, 20, ISSUED_KEY.length - 1]) {
      const changed = ISSUED_KEY.slice(0, at) + (ISSUED_KEY[at] === 'A' ? 'B' : 'A') + ISSUED_KEY.slice(at + 1);
      expect(isWellFormedKey(changed), changed).toBe(false);
    }
    expect(isWellFormedToken(ISSUED_TOKEN.slice(0, -1) + (ISSUED_TOKEN.endsWith('0') ? '1' : '0'))).toBe(false);
  });

  it('accepts what it generates, and never a key as a token or a token as a key', () => {
    for (let i = 0; i < 200; i++) {
      const key = generateKey();
      const token = generateToken();
      expect([isWellFormedKey(key), isWellFormedToken(token), isWellFormedKey(token), isWellFormedToken(key)]).toEqual([true, true, false, false]);
    }
  });
});
