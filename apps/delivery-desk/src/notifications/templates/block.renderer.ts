import type { Language } from '@app/returns';
import { escapeHtml } from '../html';
import type { Block } from './template';

const COLON = { ja: '：', en: ': ' } as const;
const BULLET = { ja: '・', en: '- ' } as const;

/** Plain text: blocks separated by a blank line. */
export function blocksToText(blocks: readonly Block[], language: Language): string {
  return blocks
    .map((b) => {
      if (typeof b === 'string') return b;
      switch (b.kind) {
        case 'list':
          return b.items.map((i) => `${BULLET[language]}${i}`).join('\n');
        case 'facts':
          return b.rows.map(([label, value]) => `${label}${COLON[language]}${value}`).join('\n');
        case 'link':
          return `${b.label}\n${b.url}`;
        case 'section':
          return language === 'ja' ? `■ ${b.title}\n${b.text}` : `${b.title}:\n${b.text}`;
      }
    })
    .join('\n\n');
}

const withBreaks = (text: string) => escapeHtml(text).replace(/\r?\n/g, '<br>');

/**
 * Minimal HTML for mail clients and the desk console: paragraphs, lists, one link per link
 * block. Every string is escaped here, including URLs, which were already limited to http(s).
 */
export function blocksToHtml(blocks: readonly Block[], language: Language): string {
  return blocks
    .map((b) => {
      if (typeof b === 'string') return `<p>${withBreaks(b)}</p>`;
      switch (b.kind) {
        case 'list':
          return `<ul>${b.items.map((i) => `<li>${withBreaks(i)}</li>`).join('')}</ul>`;
        case 'facts':
          return `<p>${b.rows.map(([label, value]) => `${escapeHtml(label)}${COLON[language]}${withBreaks(value)}`).join('<br>')}</p>`;
        case 'link':
          return `<p>${withBreaks(b.label)}<br><a href="${escapeHtml(b.url)}">${escapeHtml(b.url)}</a></p>`;
        case 'section':
          return `<p><strong>${escapeHtml(b.title)}</strong><br>${withBreaks(b.text)}</p>`;
      }
    })
    .join('\n');
}
