/**
 * Aligned text tables, coloured with plain ANSI SGR codes when the output is a terminal. Five colours do not justify
 * a dependency; widths are computed on the plain text, so colours never break the alignment.
 */

export type Style = "bold" | "dim" | "green" | "yellow" | "red";

const SGR: Record<Style, string> = { bold: "1", dim: "2", green: "32", yellow: "33", red: "31" };

/** Wraps text in a style, or returns it as is when colours are off. */
export type Painter = (text: string, style?: Style) => string;

export function painter(colour: boolean): Painter {
  return (text, style) => (colour && style && text !== "" ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
}

export interface Cell {
  text: string;
  style?: Style;
}

export type Row = (Cell | string)[];

const cell = (c: Cell | string): Cell => (typeof c === "string" ? { text: c } : c);

/** The lines of a table: a bold header, then one line per row; trailing spaces trimmed. */
export function table(headers: string[], rows: Row[], paint: Painter, indent = "  "): string[] {
  const cells = rows.map((r) => r.map(cell));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i]?.text ?? "").length)));
  const line = (row: Cell[], header: boolean) => {
    const parts = widths.map((w, i) => {
      const c = row[i] ?? { text: "" };
      const padded = i === widths.length - 1 ? c.text : c.text.padEnd(w);
      // Pad first, then paint only the text, so escape codes never count towards a width.
      return paint(c.text, header ? "bold" : c.style) + padded.slice(c.text.length);
    });
    return (indent + parts.join("  ")).replace(/\s+$/, "");
  };
  return [line(headers.map((text) => ({ text })), true), ...cells.map((r) => line(r, false))];
}

/** Shortens a free text (OVH's lastCheckContent can be a whole error message) to one line of at most `max` chars. */
export function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
