// LIKE / ILIKE patterns compiled to regular expressions (% any run, _ one character, with an escape).

/** Compiles a LIKE pattern; `escape` defaults to backslash as in PostgreSQL (empty string: no escape). */
export function likeToRegExp(pattern: string, caseInsensitive: boolean, escape = '\\'): RegExp {
  let re = '^';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (escape !== '' && c === escape && i + 1 < chars.length) {
      re += escapeRe(chars[++i]!);
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRe(c);
  }
  return new RegExp(re + '$', caseInsensitive ? 'isu' : 'su');
}

// Only syntax characters: with the `u` flag, escaping anything else (such as `-`) is an error.
function escapeRe(c: string): string { return c.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&'); }
