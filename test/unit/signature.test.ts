import { computeSignature, parseSignatureHeader, signatureHeader, verifySignature } from '../../common/partners/signature';

const OLD = 'old-secret-0123456789abcdef0123456789abcdef';
const NEW = 'new-secret-fedcba9876543210fedcba9876543210';
const NOW = 1_795_000_000;
const BODY = '{"type":"insurer_decision","claimNo":"FP-20261129-341324-000123"}';

const verify = (header: string | undefined, secrets: string[], opts: { body?: string; now?: number } = {}) =>
  verifySignature({ header, rawBody: opts.body ?? BODY, secrets, now: opts.now ?? NOW });

describe('partner signatures', () => {
  test('the worked example of docs/partner-protocol.md holds', () => {
    // Keep in step with the guide: secret, timestamp and body as printed there. The expected value was computed
    // independently: echo -n '1795000000.{"hello":"fangpin"}' | openssl dgst -sha256 -hmac 'whsec_example_…'
    const signature = computeSignature('whsec_example_0123456789abcdef0123456789', 1795000000, '{"hello":"fangpin"}');
    expect(signature).toBe(EXAMPLE_SIGNATURE);
  });

  test('when signed and verified with the same key, then it is accepted', () => {
    expect(verify(signatureHeader([OLD], NOW, BODY), [OLD])).toEqual({ ok: true, timestamp: NOW, secretIndex: 0 });
  });

  test('when one byte of the body changes, then BAD_SIGNATURE', () => {
    expect(verify(signatureHeader([OLD], NOW, BODY), [OLD], { body: BODY.replace('123', '124') })).toMatchObject({
      ok: false,
      failure: 'BAD_SIGNATURE',
    });
  });

  test('when signed with another key, then BAD_SIGNATURE', () => {
    expect(verify(signatureHeader([NEW], NOW, BODY), [OLD])).toMatchObject({ ok: false, failure: 'BAD_SIGNATURE' });
  });

  test('during rotation both keys work: the sender signs with both, the receiver accepts either', () => {
    const both = signatureHeader([NEW, OLD], NOW, BODY);
    expect(parseSignatureHeader(both)?.signatures).toHaveLength(2);
    expect(verify(both, [OLD])).toMatchObject({ ok: true });
    expect(verify(both, [NEW])).toMatchObject({ ok: true });
    expect(verify(signatureHeader([OLD], NOW, BODY), [NEW, OLD])).toMatchObject({ ok: true, secretIndex: 1 });
    expect(verify(both, [OLD, NEW])).toMatchObject({ ok: true, secretIndex: 1 }); // the newest key that matches is named
  });

  test('after rotation, the retired key is refused', () => {
    expect(verify(signatureHeader([OLD], NOW, BODY), [NEW])).toMatchObject({ ok: false, failure: 'BAD_SIGNATURE' });
  });

  test('when the timestamp is outside the 5-minute window either way, then TIMESTAMP_OUT_OF_WINDOW', () => {
    expect(verify(signatureHeader([OLD], NOW - 301, BODY), [OLD])).toMatchObject({
      ok: false,
      failure: 'TIMESTAMP_OUT_OF_WINDOW',
    });
    expect(verify(signatureHeader([OLD], NOW + 301, BODY), [OLD])).toMatchObject({
      ok: false,
      failure: 'TIMESTAMP_OUT_OF_WINDOW',
    });
    expect(verify(signatureHeader([OLD], NOW - 300, BODY), [OLD])).toMatchObject({ ok: true });
  });

  test('when a captured message is replayed later, then its old timestamp gets it refused', () => {
    const captured = signatureHeader([OLD], NOW, BODY);
    expect(verify(captured, [OLD], { now: NOW + 3_600 })).toMatchObject({ ok: false, failure: 'TIMESTAMP_OUT_OF_WINDOW' });
  });

  test('when the timestamp in the header is changed to a fresh one, then the signature no longer matches', () => {
    const header = signatureHeader([OLD], NOW - 3_600, BODY).replace(`t=${NOW - 3_600}`, `t=${NOW}`);
    expect(verify(header, [OLD])).toMatchObject({ ok: false, failure: 'BAD_SIGNATURE' });
  });

  test.each([undefined, ''])('when the header is %p, then MISSING_SIGNATURE', (header) => {
    expect(verify(header, [OLD])).toMatchObject({ ok: false, failure: 'MISSING_SIGNATURE' });
  });

  test.each(['v1=abc', 't=123', 't=abc,v1=' + 'a'.repeat(64), 'garbage'])(
    'when the header is %p, then MALFORMED_SIGNATURE',
    (header) => {
      expect(verify(header, [OLD])).toMatchObject({ ok: false, failure: 'MALFORMED_SIGNATURE' });
    },
  );
});

const EXAMPLE_SIGNATURE = '634637e43bf870429cb602c6b6235c7f53005ebce34a97169f7e79b42a7f220b';
