// Where a value was found in the plan's text: UTF-16 offsets into the NFC-normalised text the extraction returns
// (`PlanExtraction.source`), the string a console shows beside the draft, so `source.slice(start, end)` is the
// highlighted passage. Line and column (1-based) for people and editors.

export interface SourceSpan {
  start: number;
  end: number;
}

export interface LineColumn {
  line: number;
  column: number;
}

/** 1-based line and column of `offset` in `text`. */
export function lineColumnAt(text: string, offset: number): LineColumn {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
