import type { Language } from '@app/returns';
import { type ComposedMessage, composeMessage, LANGUAGE_SEPARATOR, type RenderedPart, renderTemplate } from './message.composer';
import { TemplateError } from './template.error';
import { CAUSES } from './templates/cause.catalogue';
import type { TemplateDefinition } from './templates/template';
import { TEMPLATE_IDS, TEMPLATES, type TemplateId } from './templates/template.registry';
import { sampleParams, TEMPLATE_SAMPLES } from './testing/template-params.factory';

const LEAKS = /undefined|\bnull\b|NaN|\[object/;
const JA_DATE = /\d{4}年\d{1,2}月\d{1,2}日\([月火水木金土日]\)/;
const EN_DATE = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}\b/;
const JAPANESE_SCRIPT = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

const schemaOf = (id: TemplateId) => (TEMPLATES[id] as unknown as TemplateDefinition).params;
const hasKind = (id: TemplateId, ...kinds: string[]) =>
  Object.entries(schemaOf(id)).some(([name, spec]) => kinds.includes(spec.kind) && TEMPLATE_SAMPLES[id][name as never] != null);
const causeRequiredForJa = (id: TemplateId) => {
  const spec = schemaOf(id).cause;
  return spec !== undefined && !spec.optional;
};
// Loops over every id lose the id–params correlation TypeScript checks for a literal id.
const composeAny = composeMessage as (id: TemplateId, params: object, languages: readonly Language[]) => ComposedMessage;
const renderAny = renderTemplate as (id: TemplateId, params: object, language: Language) => RenderedPart;
const customerTemplates = TEMPLATE_IDS.filter((id) => TEMPLATES[id].audience === 'customer');

function errorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error('expected a TemplateError');
}

describe(composeMessage.name, () => {
  describe.each(TEMPLATE_IDS)('%s', (id) => {
    const sut = () => composeAny(id, TEMPLATE_SAMPLES[id], ['ja', 'en']);

    it('renders both languages with no leaked undefined, null, NaN or [object', () => {
      const message = sut();

      expect(message.languages).toEqual(['ja', 'en']);
      for (const out of [message.subject, message.text, message.html]) expect(out).not.toMatch(LEAKS);
      expect(message.parts.map((x) => x.language)).toEqual(['ja', 'en']);
      for (const part of message.parts) expect(part.subject.trim()).not.toBe('');
    });

    it('writes the English part in English only', () => {
      const en = sut().parts[1]!;

      expect(en.subject + en.text).not.toMatch(JAPANESE_SCRIPT);
      expect(en.text).not.toMatch(/様|平素/);
    });

    it('writes every date with its weekday', () => {
      if (!hasKind(id, 'date', 'instant', 'window')) return;
      const [ja, en] = sut().parts;

      expect(ja!.text).toMatch(JA_DATE);
      expect(en!.text).toMatch(EN_DATE);
    });

    it('formats amounts per currency', () => {
      if (!hasKind(id, 'money')) return;
      const { text } = sut();

      expect(text).toMatch(/\$\d{1,3}(,\d{3})*\.\d{2}|¥\d{1,3}(,\d{3})*(?![.\d])/);
      expect(text).not.toMatch(/\d\.\d{3}|\$\d+(?!\.\d{2})\b/);
    });

    it('escapes parameters in the HTML', () => {
      const hostile = '<script>alert("x")</script> & Co';
      const params =
        id === 'case.approval_pending' ? sampleParams(id, { requestedBy: hostile }) : sampleParams(id, { customerName: hostile });

      const { html } = composeAny(id, params, ['ja', 'en']);

      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    });

    it('still renders, or names the missing parameter, when every optional parameter is left out', () => {
      const schema = schemaOf(id);
      const minimal = Object.fromEntries(Object.entries(TEMPLATE_SAMPLES[id]).filter(([name]) => !schema[name]?.optional));

      let message: ComposedMessage | null = null;
      try {
        message = composeAny(id, minimal, ['ja', 'en']);
      } catch (err) {
        expect(err).toBeInstanceOf(TemplateError);
        expect((err as TemplateError).code).toBe('missing_param');
        expect(schema[(err as TemplateError).param!]?.optional).toBe(true);
      }
      if (message) expect(message.text + message.html).not.toMatch(LEAKS);
    });

    it.each(Object.keys(schemaOf(id)).filter((name) => !schemaOf(id)[name]!.optional))(
      'throws missing_param without "%s"',
      (param) => {
        const params = { ...TEMPLATE_SAMPLES[id], [param]: undefined };

        const err = errorOf(() => composeAny(id, params, ['ja', 'en']));

        expect(err).toMatchObject({ code: 'missing_param', templateId: id, param });
      },
    );
  });

  describe('Japanese customer messages', () => {
    it.each(customerTemplates)('%s uses business keigo and the customer\u2019s honorific', (id) => {
      const ja = renderAny(id, TEMPLATE_SAMPLES[id], 'ja');

      expect(ja.text).toMatch(/^Sato Hanako 様\n/);
      expect(ja.text).toContain('平素よりさくら商店をご利用いただき、誠にありがとうございます。');
      expect(ja.text).toContain('何卒よろしくお願い申し上げます。');
      expect(ja.text).toMatch(/(ございます|いたします|申し上げます)。/);
      expect(ja.text).not.toMatch(/(だ|である)。/);
      expect(ja.subject).toMatch(/^【さくら商店】.+（ご注文番号：SG-10042）$/);
    });

    it.each(customerTemplates.filter(causeRequiredForJa))('%s apologises and states 原因 and 再発防止策', (id) => {
      const { text } = renderAny(id, TEMPLATE_SAMPLES[id], 'ja');

      expect(text).toMatch(/申し訳ございません|お詫び申し上げます/);
      expect(text).toContain('■ 原因\n');
      expect(text).toContain('■ 再発防止策\n');
    });

    it.each(customerTemplates.filter((id) => schemaOf(id).cause?.optional && id !== 'case.agent_reply'))(
      '%s apologises when a cause is given, and only then',
      (id) => {
        const withCause = renderAny(id, { ...TEMPLATE_SAMPLES[id], cause: { code: 'packing_damage' } }, 'ja');
        const without = renderAny(id, { ...TEMPLATE_SAMPLES[id], cause: null }, 'ja');

        expect(withCause.text).toMatch(/申し訳ございません/);
        expect(withCause.text).toContain('■ 原因');
        expect(without.text).not.toContain('■ 原因');
        if (id !== 'return.pickup_cancelled') expect(without.text).not.toMatch(/申し訳ございません/);
      },
    );

    it('uses the cause code\u2019s default wording', () => {
      const { text } = renderTemplate('tracking.stalled_trace_opened', TEMPLATE_SAMPLES['tracking.stalled_trace_opened'], 'ja');

      expect(text).toContain(`■ 原因\n${CAUSES.carrier_delay.causeJa}`);
      expect(text).toContain(`■ 再発防止策\n${CAUSES.carrier_delay.preventionJa}`);
    });

    it('lets the agent override the cause and keep the default prevention', () => {
      const { text } = renderTemplate('item.replacement_sent', TEMPLATE_SAMPLES['item.replacement_sent'], 'ja');

      expect(text).toContain('■ 原因\n出荷作業の際、類似の商品と取り違えて梱包いたしました。');
      expect(text).toContain(`■ 再発防止策\n${CAUSES.picking_error.preventionJa}`);
    });

    it('leaves 原因 out of a message that is not about a problem', () => {
      const { text } = renderTemplate('tracking.on_time', TEMPLATE_SAMPLES['tracking.on_time'], 'ja');

      expect(text).not.toContain('原因');
    });

    it('adds 原因 to an optional-cause template only when a cause is given', () => {
      const without = renderTemplate('return.label_ready', sampleParams('return.label_ready', { cause: null }), 'ja');
      const withCause = renderTemplate('return.label_ready', sampleParams('return.label_ready', { cause: { code: 'packing_damage' } }), 'ja');

      expect(without.text).not.toContain('■ 原因');
      expect(withCause.text).toContain(`■ 原因\n${CAUSES.packing_damage.causeJa}`);
    });

    it('does not double a 様 the customer typed', () => {
      const { text } = renderTemplate('dnr.under_review', sampleParams('dnr.under_review', { customerName: '佐藤 花子様' }), 'ja');

      expect(text).toMatch(/^佐藤 花子 様\n/);
    });

    it('writes times in the customer\u2019s zone, named', () => {
      const { text } = renderTemplate('dnr.received_ack_wait_advice', TEMPLATE_SAMPLES['dnr.received_ack_wait_advice'], 'ja');

      // 22:15 UTC on Nov 20 is 14:15 in Los Angeles; the wait ends 48 h later.
      expect(text).toContain('2026年11月20日(金) 14:15（米国太平洋時間）に配達完了');
      expect(text).toContain('48時間後の2026年11月22日(日) 14:15（米国太平洋時間）');
    });

    it('names only the affected lines, in Japanese where the shop has a Japanese name', () => {
      const { text } = renderTemplate('item.replacement_sent', TEMPLATE_SAMPLES['item.replacement_sent'], 'ja');

      expect(text).toContain('・南部鉄器 急須（1点）');
      expect(text).not.toContain('Sencha');
    });
  });

  describe('English customer messages', () => {
    it.each(customerTemplates)('%s greets by name and signs with the English shop name', (id) => {
      const en = renderAny(id, TEMPLATE_SAMPLES[id], 'en');

      expect(en.text).toMatch(/^Hi Sato Hanako,\n/);
      expect(en.text).toMatch(/Sakura Goods Support$/);
      expect(en.subject).toContain('SG-10042');
    });

    it('formats the same dates and money the US way', () => {
      const { text } = renderTemplate('tracking.late_delay_notice', TEMPLATE_SAMPLES['tracking.late_delay_notice'], 'en');

      expect(text).toContain('by Fri, Nov 20, 2026 as promised, due to the item being out of stock.');
      expect(text).toContain('New ship date: Fri, Dec 4, 2026.');
      expect(text).toContain('cancel it and get a prompt full refund of $42.50.');
    });
  });

  describe('FTC delay option notice', () => {
    const sample = TEMPLATE_SAMPLES['tracking.late_delay_notice'];

    it('with a definite date, tells the buyer that silence is consent and how to cancel', () => {
      const { text } = composeMessage('tracking.late_delay_notice', sample, ['ja', 'en']);

      expect(text).toContain('新たな発送予定日は2026年12月4日(金)でございます。');
      expect(text).toContain('ご返信は不要でございます');
      expect(text).toContain('全額返金');
      expect(text).toContain('https://desk.example.com/c/SG-10042/cancel?sig=x1');
      expect(text).toContain('If you\u2019re happy to wait, you don\u2019t need to do anything.');
      expect(text).toContain('You can cancel any time before the order ships.');
    });

    it('without a date, asks for express consent by the auto-cancel date', () => {
      const params = sampleParams('tracking.late_delay_notice', {
        revisedShipDate: null,
        consent: 'express_consent_required',
        autoCancelOn: '2026-12-20',
      });

      const { text } = composeMessage('tracking.late_delay_notice', params, ['ja', 'en']);

      expect(text).toContain('現時点では新たな発送予定日をお示しすることができません。');
      expect(text).toContain('2026年12月20日(日)までにその旨をお知らせください');
      expect(text).toContain('ご注文は自動的にキャンセルとなり');
      expect(text).toContain('We can\u2019t give a new ship date yet.');
      expect(text).toContain('If you want to wait, tell us by Sun, Dec 20, 2026. Otherwise we\u2019ll cancel the order and refund you in full.');
    });

    it('refuses deemed consent without a revised date', () => {
      const params = sampleParams('tracking.late_delay_notice', { revisedShipDate: null });

      const err = errorOf(() => composeMessage('tracking.late_delay_notice', params, ['en']));

      expect(err).toMatchObject({ code: 'missing_param', param: 'revisedShipDate' });
    });

    it('needs the cause in English too, because the notice must give a reason', () => {
      const params = sampleParams('tracking.late_delay_notice', { cause: undefined });

      expect(() => composeMessage('tracking.late_delay_notice', params, ['en'])).toThrow(TemplateError);
    });
  });

  it('tells a customer whose lost parcel is reshipped when it ships, and mentions no refund', () => {
    const params = sampleParams('tracking.declared_lost', { remedy: 'reship', reshipBy: '2026-11-27', refundAmount: null });

    const { text, subject } = composeMessage('tracking.declared_lost', params, ['ja', 'en']);

    expect(text).toContain('2026年11月27日(金)までに発送し');
    expect(text).toContain('We\u2019ll ship a replacement by Fri, Nov 27, 2026');
    expect(text).not.toMatch(/返金|refund/i);
    expect(subject).toContain('replacement on the way');
  });

  it('puts Japanese first, then the separator, then English, whatever order was asked', () => {
    const message = composeMessage('dnr.under_review', TEMPLATE_SAMPLES['dnr.under_review'], ['en', 'ja']);

    const [ja, en] = message.text.split(LANGUAGE_SEPARATOR);
    expect(ja).toMatch(/^Sato Hanako 様/);
    expect(en).toMatch(/^Hi Sato Hanako,/);
    expect(message.subject).toBe(`${message.parts[0]!.subject} / ${message.parts[1]!.subject}`);
    expect(message.html.indexOf('<div lang="ja">')).toBeLessThan(message.html.indexOf('<hr>'));
    expect(message.html.indexOf('<hr>')).toBeLessThan(message.html.indexOf('<div lang="en">'));
  });

  it('renders one language without a separator', () => {
    const message = composeMessage('dnr.under_review', TEMPLATE_SAMPLES['dnr.under_review'], ['en']);

    expect(message.languages).toEqual(['en']);
    expect(message.text).not.toContain(LANGUAGE_SEPARATOR.trim());
    expect(message.html).not.toContain('<hr>');
  });

  it('asks for a language-only parameter only when that language is rendered', () => {
    const params = sampleParams('case.agent_reply', { bodyJa: undefined });

    expect(composeMessage('case.agent_reply', params, ['en']).text).toContain('The replacement ships tomorrow.');
    expect(errorOf(() => composeMessage('case.agent_reply', params, ['ja', 'en']))).toMatchObject({ code: 'missing_param', param: 'bodyJa' });
  });

  it('signs an agent reply with the agent\u2019s name', () => {
    const { text } = composeMessage('case.agent_reply', TEMPLATE_SAMPLES['case.agent_reply'], ['ja', 'en']);

    expect(text).toContain('担当：Tanaka\nさくら商店 カスタマーサポート');
    expect(text).toContain('Tanaka\nSakura Goods Support');
  });

  it('keeps a word like "null" that the agent wrote', () => {
    const params = sampleParams('case.agent_reply', { bodyEn: 'The error said null; please ignore it.' });

    expect(composeMessage('case.agent_reply', params, ['en']).text).toContain('The error said null');
  });

  it.each([
    ['a blank string', 'case.resolved', { caseNumber: '   ' }, 'missing_param', 'caseNumber'],
    ['a fractional amount', 'item.refund_issued', { refundAmount: { amountMinor: 12.5, currency: 'USD' } }, 'invalid_param', 'refundAmount'],
    ['a lower-case currency', 'item.refund_issued', { refundAmount: { amountMinor: 1250, currency: 'usd' } }, 'invalid_param', 'refundAmount'],
    ['an impossible date', 'dnr.under_review', { reviewBy: '2026-02-30' }, 'invalid_param', 'reviewBy'],
    ['an instant without an offset', 'tracking.on_time', { lastScanAt: '2026-11-21T03:12:00' }, 'invalid_param', 'lastScanAt'],
    ['a javascript: link', 'address.confirm_request', { confirmUrl: 'javascript:alert(1)' }, 'invalid_param', 'confirmUrl'],
    ['an unknown cause', 'dnr.under_review', { cause: { code: 'gremlins' } }, 'invalid_param', 'cause'],
    ['an unknown time zone', 'dnr.under_review', { timeZone: 'Mars/Olympus' }, 'invalid_param', 'timeZone'],
    ['an empty item list', 'item.replacement_sent', { lines: [] }, 'invalid_param', 'lines'],
    ['a zero quantity', 'item.replacement_sent', { lines: [{ name: 'Teapot', quantity: 0 }] }, 'invalid_param', 'lines'],
    ['a window ending before it starts', 'return.pickup_booked', { pickupWindow: { start: '2026-11-24T21:00:00Z', end: '2026-11-24T17:00:00Z' } }, 'invalid_param', 'pickupWindow'],
    ['a value outside the choice', 'tracking.declared_lost', { remedy: 'store_credit' }, 'invalid_param', 'remedy'],
    ['a refund remedy without an amount', 'tracking.declared_lost', { refundAmount: null }, 'missing_param', 'refundAmount'],
    ['photos asked for without an upload link', 'item.received_ack', { photoUploadUrl: null }, 'missing_param', 'photoUploadUrl'],
    ['a return with neither label nor pickup', 'item.return_required', { labelUrl: null, pickupWindow: null }, 'missing_param', 'labelUrl'],
  ] as const)('rejects %s', (_, id, overrides, code, param) => {
    const err = errorOf(() => composeMessage(id, sampleParams(id, overrides), ['ja', 'en']));

    expect(err).toMatchObject({ code, templateId: id, param });
  });

  it('rejects an unknown template id (one read back from storage)', () => {
    const err = errorOf(() => composeMessage('dnr.gone' as TemplateId, {} as never, ['en']));

    expect(err.code).toBe('unknown_template');
  });

  it('rejects an empty language list', () => {
    const err = errorOf(() => composeMessage('dnr.under_review', TEMPLATE_SAMPLES['dnr.under_review'], []));

    expect(err.code).toBe('no_language');
  });

  it('type-checks parameters per template', () => {
    // Compile-time only: `tsc --noEmit` fails if these stop being errors.
    const check = () => {
      // @ts-expect-error trackingCode is required
      composeMessage('tracking.on_time', { ...TEMPLATE_SAMPLES['tracking.on_time'], trackingCode: undefined }, ['en']);
      // @ts-expect-error remedy is 'reship' | 'refund'
      composeMessage('tracking.declared_lost', { ...TEMPLATE_SAMPLES['tracking.declared_lost'], remedy: 'credit' }, ['en']);
    };
    expect(check).toBeInstanceOf(Function);
  });
});
