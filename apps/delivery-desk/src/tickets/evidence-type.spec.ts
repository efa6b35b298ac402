import { sniffEvidenceType } from './evidence-type';

describe(sniffEvidenceType.name, () => {
  it.each([
    ['jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg'],
    ['png', Buffer.from('89504e470d0a1a0a0000000d', 'hex'), 'image/png'],
    ['webp', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]), 'image/webp'],
    ['heic', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(8)]), 'image/heic'],
    ['pdf', Buffer.from('%PDF-1.7\n'), 'application/pdf'],
  ])('recognises %s by its first bytes', (_n, bytes, type) => {
    expect(sniffEvidenceType(bytes)).toBe(type);
  });

  it.each([
    ['an HTML page', Buffer.from('<html><script>alert(1)</script>')],
    ['an executable', Buffer.from('7f454c4602010100', 'hex')],
    ['a truncated jpeg', Buffer.from([0xff, 0xd8])],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', (_n, bytes) => {
    expect(sniffEvidenceType(bytes)).toBeNull();
  });
});
