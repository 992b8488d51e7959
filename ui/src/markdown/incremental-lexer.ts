import { Lexer, type Token, type Tokens, type TokensList } from "marked";

const OPTIONS = { gfm: true, breaks: false } as const;

/** Lexes a whole Markdown text into block tokens (GFM: tables, strikethrough, task lists, autolinks). */
export function lexMarkdown(text: string, links: TokensList["links"] = {}): TokensList {
  const lexer = new Lexer(OPTIONS);
  Object.assign(lexer.tokens.links, links);
  return lexer.lex(text);
}

/**
 * A block that later text can still change: a list may go on after a blank line, and so may an
 * indented code block; a blank line ends every other block for good.
 */
function canContinue(token: Token): boolean {
  return token.type === "list" || (token.type === "code" && (token as Tokens.Code).codeBlockStyle === "indented");
}

/**
 * Lexes a text that only ever grows (a streaming reply) without lexing it all again on each
 * delta: blocks that a blank line has closed are kept, as the same token objects, and only the
 * text after them is lexed again. Keeping the objects lets the view skip re-rendering those
 * blocks, so a delta costs the last block, not the whole reply. A text that does not extend the
 * previous one is lexed from scratch.
 */
export class IncrementalLexer {
  private stable: Token[] = [];
  private stableText = "";
  private links: TokensList["links"] = {};

  /** The block tokens of `text`; closed blocks are the same objects as in the previous call. */
  lex(input: string): Token[] {
    const text = input.replace(/\r\n?/g, "\n");
    if (!text.startsWith(this.stableText)) this.reset();
    const tail = lexMarkdown(text.slice(this.stableText.length), this.links);
    Object.assign(this.links, tail.links);
    const tokens = [...this.stable, ...tail];

    // Closed: everything up to the last blank line that has a block after it.
    let closed = 0;
    for (let index = tail.length - 2; index >= 0; index--) {
      if (tail[index]!.type === "space" && index > 0 && !canContinue(tail[index - 1]!)) {
        closed = index + 1;
        break;
      }
    }
    const newlyClosed = tail.slice(0, closed);
    const closedText = newlyClosed.map((token) => token.raw).join("");
    // The raws must spell the text exactly, or offsets would drift; otherwise keep nothing new.
    if (text.startsWith(this.stableText + closedText, 0)) {
      this.stable = [...this.stable, ...newlyClosed];
      this.stableText += closedText;
    }
    return tokens;
  }

  reset(): void {
    this.stable = [];
    this.stableText = "";
    this.links = {};
  }
}
