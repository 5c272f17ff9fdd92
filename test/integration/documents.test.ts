import { createHash } from 'node:crypto';
import { aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import type { Json } from '../helpers/json';
import { documentChunkModel, documentFileModel } from '../../db/models/document';
import { MAX_DOCUMENT_BYTES } from '../../domain/document-files';
import type { Actor } from '../../workflows/claim/types';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A JPEG of its own: the JPEG signature, then bytes made from a tag (600 KB: three chunks). */
const jpeg = (tag: string, size = 600_000) => {
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i += 32) createHash('sha256').update(`${tag}:${i}`).digest().copy(body, i);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(body, 0);
  return body;
};

/** Document files: uploaded by content, checked by content, listed on claims by hash, read back through the claim. */
describe('document files', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  async function upload(actor: Actor | null, body: Buffer, contentType = 'application/octet-stream') {
    const res = await fetch(`${h.apiUrl}/documents`, {
      method: 'POST',
      headers: { ...(actor ? { authorization: `Bearer ${await tokenFor(actor)}` } : {}), 'content-type': contentType },
      body,
    });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Json };
  }
  async function call(actor: Actor, method: string, path: string, body?: unknown) {
    const res = await fetch(`${h.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await tokenFor(actor)}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const json: Json = res.headers.get('content-type')?.includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined;
    return { status: res.status, headers: res.headers, bytes, json };
  }

  it('stores a file once by its SHA-256, whatever type the client claims, and refuses what is not a document', async () => {
    const photo = jpeg('stored-once');
    const first = await upload(people.filer, photo, 'application/pdf'); // the type is read from the content
    expect(first).toMatchObject({ status: 201, body: { sha256: sha(photo), size: photo.length, mediaType: 'image/jpeg' } });
    // two more at once, and a third later: the same record, never a second copy
    const again = await Promise.all([upload(people.filer, photo), upload(people.township, photo)]);
    expect(again.map((a) => a.status)).toEqual([200, 200]);
    expect(await documentFileModel(h.mongo).countDocuments({ _id: sha(photo) })).toBe(1);
    expect(await documentChunkModel(h.mongo).countDocuments({ fileId: sha(photo) })).toBe(3);

    const text = await upload(people.filer, Buffer.from('<html><script>alert(1)</script></html>'), 'image/png');
    expect(text).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    expect(text.type).toContain('application/problem+json');
    expect(String(text.body.detail)).toContain('PDF、JPEG、PNG');
    expect((await upload(people.filer, Buffer.alloc(0))).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    const huge = await upload(people.filer, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(MAX_DOCUMENT_BYTES)]));
    expect(huge).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(String(huge.body.detail)).toContain('10 MB');
    expect((await upload(null, photo)).status).toBe(401);
    expect((await upload(people.ops, photo)).status).toBe(403);
  });

  it('refuses a claim listing a file never uploaded, field by field, and files nothing', async () => {
    const { householdId } = await h.newHousehold();
    const claim = aPropertyClaim(householdId);
    const refused = await call(people.filer, 'POST', '/claims', claim);
    expect(refused.status).toBe(422);
    const problem = refused.json;
    expect(problem.code).toBe('UNPROCESSABLE');
    expect((problem.fieldErrors as { path: string }[]).map((f) => f.path)).toEqual(
      claim.documents.map((_d, i) => `documents.${i}.sha256`),
    );
    expect((await h.claims.list({ scope: '341324', householdId }, 100)).items).toHaveLength(0);
  });

  it('serves a listed file through its claim, to the claim’s jurisdiction only', async () => {
    const { householdId } = await h.newHousehold();
    const photo = jpeg(`scene-${householdId}`);
    expect((await upload(people.filer, photo)).status).toBe(201);
    const base = aPropertyClaim(householdId);
    const claim = { ...base, documents: [...base.documents, { name: '现场照片', kind: 'photo' as const, sha256: sha(photo) }] };
    await h.upload(claim.documents, await tokenFor(people.filer));
    const filed = await call(people.filer, 'POST', '/claims', claim);
    expect(filed.status).toBe(202);
    const { claimNo } = filed.json as { claimNo: string };
    await h.waitFor(claimNo, 'village_review');

    const read = await call(people.township, 'GET', `/claims/${claimNo}/documents/${sha(photo)}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toBe('image/jpeg');
    expect(read.headers.get('x-content-type-options')).toBe('nosniff');
    expect(read.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('现场照片.jpg')}`);
    expect(sha(read.bytes)).toBe(sha(photo));

    expect((await call(people.otherVillage, 'GET', `/claims/${claimNo}/documents/${sha(photo)}`)).status).toBe(404);
    const unlisted = jpeg('not-on-this-claim', 1000);
    await upload(people.filer, unlisted);
    expect((await call(people.filer, 'GET', `/claims/${claimNo}/documents/${sha(unlisted)}`)).status).toBe(404);
    expect((await call(people.filer, 'GET', `/claims/${claimNo}/documents/XYZ`)).status).toBe(400);
  });
});
