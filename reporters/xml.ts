/**
 * The little XML the JUnit reporter needs: escaping, and removal of what XML 1.0 cannot carry.
 * No CDATA: escaped text cannot be ended early by a `]]>` inside a log line.
 */
import { stripAnsi } from './text.js';

/**
 * Characters outside XML 1.0's Char production (C0 controls but tab/LF/CR, lone surrogates,
 * U+FFFE/U+FFFF) make the whole file unparsable, and C1 controls are discouraged: a gate must not
 * lose its JUnit file to one odd byte in a pod log, so they go.
 */
const NOT_XML = /[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export const xmlSafe = (s: string): string => stripAnsi(s).replace(NOT_XML, '');

/** `\r` as a reference: a parser would otherwise normalise `\r\n` to `\n` and change the text. */
export function escapeText(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Attribute values: quotes escaped, and whitespace as references so attribute normalisation keeps newlines. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** A tiny element tree, serialised once (Playwright's XMLEntry idea). */
export interface XmlNode {
  readonly name: string;
  readonly attrs?: Readonly<Record<string, string | number | undefined>>;
  readonly children?: readonly XmlNode[];
  readonly text?: string;
}

export function serialize(node: XmlNode, indent = ''): string {
  const attrs = Object.entries(node.attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`).join('');
  const open = `${indent}<${node.name}${attrs}`;
  if (node.text !== undefined) return `${open}>${escapeText(node.text)}</${node.name}>\n`;
  if (!node.children?.length) return `${open}/>\n`;
  return `${open}>\n${node.children.map((c) => serialize(c, `${indent}  `)).join('')}${indent}</${node.name}>\n`;
}
