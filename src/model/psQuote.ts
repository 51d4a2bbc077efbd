/**
 * Quoting for PowerShell commands shown to a person (the "what if" preview, plan steps, audit log).
 * The scripts that really run never splice values into text: they take parameters as data.
 *
 * In a single-quoted PowerShell string nothing is special ($, backtick, ;, |, newlines are literal)
 * except the quote characters themselves. PowerShell treats four characters as single quotes:
 * U+0027 ' and U+2018 ‘, U+2019 ’, U+201A ‚, U+201B ‛ (tokenizer `CharExtensions.IsSingleQuote`).
 * Inside the string a quote character followed by another quote character stands for the second one,
 * so doubling each quote character keeps it verbatim.
 */
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

export function psQuote(value: string): string {
  return `'${value.replace(SINGLE_QUOTES, (q) => q + q)}'`;
}

/** An integer argument (a partition count): refuses anything that is not a plain safe integer. */
export function psInteger(value: number): string {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`Not an integer: ${value}`);
  }
  return String(value);
}
