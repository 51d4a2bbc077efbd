import { strict as assert } from 'node:assert';
import { psInteger, psQuote } from '../../src/model/psQuote';

/**
 * A reader of one PowerShell single-quoted string token, written from the PowerShell tokenizer's
 * rule (ScanStringLiteral: a quote char followed by a quote char appends the second one; a quote
 * char followed by anything else ends the string; the four quote chars are ' U+2018 U+2019 U+201A
 * U+201B). Returns the value and what follows the token. test/powershell round-trips the same
 * strings through real pwsh.
 */
const isQuote = (c: string | undefined): boolean => c !== undefined && "'\u2018\u2019\u201A\u201B".includes(c);

function readSingleQuoted(text: string): { value: string; rest: string } {
  const chars = [...text];
  if (!isQuote(chars[0])) throw new Error('not a single-quoted string');
  let value = '';
  let i = 1;
  for (;;) {
    if (i >= chars.length) throw new Error('unterminated string');
    const c = chars[i];
    if (isQuote(c)) {
      if (!isQuote(chars[i + 1])) return { value, rest: chars.slice(i + 1).join('') };
      value += chars[i + 1];
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
}

const HOSTILE = [
  '',
  'cad-ws-02',
  "O'Brien",
  "''",
  "'; Remove-Item C:\\ -Recurse; '",
  'a`b`n`$x',
  '$(Stop-Computer -Force)',
  '${env:PATH}',
  'a; b | c & d',
  'line1\nline2\r\nline3',
  '\u2018smart\u2019 \u201Alow\u201B quotes',
  "mix '\u2019 ' end'",
  'テスト用仮想マシン',
  'gpu-vm-😀-🚀',
  '"double" quotes',
  '\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&18416dc3&0&0000#{064092b3-625e-43bf-9eb5-dc845897dd59}',
  "trailing quote'",
  '\u2019',
];

describe('model/psQuote', () => {
  for (const s of HOSTILE) {
    it(`round-trips ${JSON.stringify(s)}`, () => {
      const quoted = psQuote(s);
      const { value, rest } = readSingleQuoted(quoted);
      assert.equal(value, s);
      assert.equal(rest, '', 'the quoted token must end exactly at the end: nothing leaks out of it');
    });
  }

  it('doubles each quote character, including the Unicode single-quote variants', () => {
    assert.equal(psQuote("O'Brien"), "'O''Brien'");
    assert.equal(psQuote('a\u2019b'), "'a\u2019\u2019b'");
    assert.equal(psQuote('\u2018\u201A\u201B'), "'\u2018\u2018\u201A\u201A\u201B\u201B'");
  });

  it('a naive quoting would leak (the reader is strict enough to catch it)', () => {
    const naive = `'${'x\u2019; Stop-Computer; \u2019'}'`;
    assert.notEqual(readSingleQuoted(naive).rest, '');
  });

  it('leaves $, backtick, ; and newlines literal (nothing to escape in single quotes)', () => {
    assert.equal(psQuote('$(x)`;\n'), "'$(x)`;\n'");
  });

  it('psInteger accepts only safe integers', () => {
    assert.equal(psInteger(8), '8');
    assert.throws(() => psInteger(8.5), RangeError);
    assert.throws(() => psInteger(Number.NaN), RangeError);
  });
});
