/**
 * Dry run of a merchant policy on one case.
 *
 *   npm run policy:explain -- case.json                      prints the decision
 *   npm run policy:explain -- case.json --policy draft.json  and what changes under the draft
 *   add --json for the raw decision(s)
 *
 * A case file is `{ "now": ISO instant, "facts": Facts, "policy"?: MerchantPolicy }`; without
 * a policy the default one is used. Exit code 2 on invalid input, listing every field at fault.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type Decision,
  DEFAULT_POLICY,
  decide,
  diffDecisions,
  type MerchantPolicy,
  parseFacts,
  parsePolicy,
  ValidationError,
  formatMinor,
} from '../index';

interface Args {
  casePath: string;
  policyPath?: string;
  json: boolean;
  lang: 'en' | 'ja' | 'both';
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = { json: false, lang: 'both' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--policy') args.policyPath = argv[++i];
    else if (a === '--json') args.json = true;
    else if (a === '--lang') args.lang = argv[++i] as Args['lang'];
    else if (a === '--help' || a === '-h') usage(0);
    else if (!args.casePath) args.casePath = a;
    else usage(2, `unexpected argument ${a}`);
  }
  if (!args.casePath) usage(2, 'missing case.json');
  return args as Args;
}

function usage(code: number, message?: string): never {
  if (message) process.stderr.write(`policy:explain: ${message}\n`);
  process.stderr.write('usage: npm run policy:explain -- case.json [--policy draft.json] [--json] [--lang en|ja|both]\n');
  process.exit(code);
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(resolve(path), 'utf8'));
}

function loadCase(path: string): { now: string; facts: ReturnType<typeof parseFacts>; policy: MerchantPolicy } {
  const raw = readJson(path) as { now?: unknown; facts?: unknown; policy?: unknown };
  if (typeof raw.now !== 'string') throw new ValidationError('facts', [{ path: 'now', message: 'expected an ISO instant' }]);
  return { now: raw.now, facts: parseFacts(raw.facts), policy: raw.policy === undefined ? DEFAULT_POLICY : parsePolicy(raw.policy) };
}

function describe(d: Decision, lang: Args['lang']): string {
  const out: string[] = [];
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    out.push(`${title}:`);
    for (const i of items) out.push(`  - ${i}`);
  };
  const action = (a: Decision['required'][number]) => {
    const { kind, ruleIds, ...rest } = a;
    const params = Object.entries(rest)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => {
        if (Array.isArray(v)) return `${k}=${v.map((x) => (typeof x === 'object' ? `${x.lineId}×${x.quantity}` : x)).join(',')}`;
        return k.endsWith('Minor') ? `${k.replace(/Minor$/, '')}=${formatMinor(Number(v), d.amounts.currency)}` : `${k}=${String(v)}`;
      });
    return `${kind}${params.length ? ` (${params.join('; ')})` : ''}  [${ruleIds.join(', ')}]`;
  };
  out.push(`Decision for ${d.problemKind} — policy ${d.policyVersion}, engine ${d.engineVersion}, at ${d.evaluatedAt} (${d.timeZone})`);
  list('Required', d.required.map(action));
  list('Customer chooses one of', d.customerChoice.map(action));
  list('Allowed', d.allowed.map(action));
  list(
    'Blocked',
    d.blocked.map((b) => `${b.kind}: ${b.reason}${b.until ? ` until ${b.until}` : ''}${b.untilEvent ? ` until ${b.untilEvent}` : ''}  [${b.ruleIds.join(', ')}]`),
  );
  list('Scheduled', d.scheduled.map((s) => `${s.trigger}${s.from ? ` from ${s.from}` : ''}${s.to ? ` to ${s.to}` : ''}: ${action(s.action)}`));
  const deadlines: string[] = [];
  for (const [k, v] of Object.entries(d.deadlines)) {
    if (!v) continue;
    if ('date' in v) deadlines.push(`${k}: ${v.date}`);
    else deadlines.push(`${k}: ${v.carrier} ${v.claimType} opens ${v.opensOn.date}, file by ${v.fileBy.date}, last day ${v.lastDay.date}${v.noticeLastDay ? `, notice by ${v.noticeLastDay.date}` : ''}`);
  }
  list('Deadlines', deadlines);
  const a = d.amounts;
  const m = (n: number) => formatMinor(n, a.currency);
  out.push(`Amounts: refund ${m(a.refundTotalMinor)} = items ${m(a.itemsMinor)} + shipping ${m(a.shippingMinor)} + tax ${m(a.taxMinor)} + duties ${m(a.dutiesMinor)} − fees ${m(a.feesMinor)} − cap ${m(a.capAdjustmentMinor)} (paid ${m(a.paidMinor)})`);
  out.push(`Approval: ${d.approval}`);
  list('Rules', d.rules.map((r) => `${r.id} [${r.status}${r.configurable ? ', configurable' : ''}] ${r.citation}`));
  if (lang !== 'ja') list('Explanation (en)', d.explanation.en);
  if (lang !== 'en') list('説明 (ja)', d.explanation.ja);
  return out.join('\n');
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  try {
    const c = loadCase(args.casePath);
    const current = decide(c.facts, c.policy, c.now);
    if (!args.policyPath) {
      process.stdout.write(`${args.json ? JSON.stringify(current, null, 2) : describe(current, args.lang)}\n`);
      return;
    }
    const draft = parsePolicy(readJson(args.policyPath));
    const replay = decide(c.facts, draft, c.now);
    const changes = diffDecisions(current, replay);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ current, draft: replay, changes }, null, 2)}\n`);
      return;
    }
    process.stdout.write(`${describe(current, args.lang)}\n\n`);
    process.stdout.write(`=== Under draft policy ${draft.version} (was ${c.policy.version}) ===\n`);
    if (changes.length === 0) process.stdout.write('No change.\n');
    for (const ch of changes) {
      const text = ch.change === 'changed' ? `${ch.before} → ${ch.after}` : ch.change === 'added' ? `+ ${ch.after}` : `- ${ch.before}`;
      process.stdout.write(`  ${ch.path}: ${text}\n`);
    }
  } catch (e) {
    if (e instanceof ValidationError) {
      process.stderr.write(`Invalid ${e.subject}:\n${e.issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}\n`);
      process.exit(2);
    }
    if (e instanceof SyntaxError) {
      process.stderr.write(`Not valid JSON: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

main();
