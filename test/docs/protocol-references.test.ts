// Every `§n` / `§n.m` citation in code and docs must name a heading of docs/tiktok-shop-api.md
// (issue 9, item 6), and no tracked file may point outside the repository.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOTES = 'docs/tiktok-shop-api.md';

/**
 * Section numbers of the notes. A section is `## 6. Title`, a subsection `### 6.4 Title`: one more
 * `#` than the number has parts.
 */
function sectionsOf(markdown: string): Set<string> {
  const sections = new Set<string>();
  for (const [, hashes, number] of markdown.matchAll(/^(#{2,6}) (\d+(?:\.\d+)*)\.? /gm)) {
    if (hashes!.length === number!.split('.').length + 1) sections.add(number!);
  }
  return sections;
}

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(extension))
    .map((name) => join(dir, name));
}

const CITING_FILES = [
  ...filesUnder('src', '.ts'),
  ...filesUnder('test', '.ts'),
  ...filesUnder('docs', '.md'),
  'README.md',
];

describe('protocol references', () => {
  const sections = sectionsOf(readFileSync(join(ROOT, NOTES), 'utf8'));

  it('the notes have sections 0 to 8 and the subsections the code cites most', () => {
    for (const number of ['0', '1', '2', '2.1', '2.5', '4', '5', '6', '6.1', '6.4', '6.10', '8']) {
      expect(sections.has(number), `§${number}`).toBe(true);
    }
  });

  it('every § citation names a section of the notes', () => {
    const dangling: string[] = [];
    let citations = 0;
    for (const file of CITING_FILES) {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, index) => {
        for (const [, number] of line.matchAll(/§(\d+(?:\.\d+)*)/g)) {
          citations++;
          if (!sections.has(number!)) dangling.push(`${file}:${index + 1} §${number}`);
        }
      });
    }
    expect(citations).toBeGreaterThan(100);
    expect(dangling).toEqual([]);
  });

  it('no tracked file names a path outside the repository', () => {
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((name) => name !== '');
    const outside: string[] = [];
    for (const file of tracked) {
      const bytes = readFileSync(join(ROOT, file));
      if (bytes.includes(0)) continue; // binary
      const text = bytes.toString('utf8');
      if (/\/work\/|\.\.\/shared/.test(text)) outside.push(file);
    }
    expect(outside).toEqual([]);
  });
});
