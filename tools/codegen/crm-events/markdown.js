// Small Markdown helpers for the event catalog.
const { getComments } = require('@bufbuild/protoplugin');

/** The leading comment of a proto element, without comment indentation or blank lines. */
function commentText(desc) {
  return (getComments(desc).leading ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

function table(header, rows) {
  const line = (cells) => `| ${cells.map(tableCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

function tableCell(text) {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text) {
  return `\`${text}\``;
}

/** The fragment GitHub derives from a heading: lower case, punctuation other than - and _ dropped. */
function anchor(heading) {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9_\- ]/g, '')
    .replace(/ /g, '-');
}

function link(text, heading) {
  return `[${text}](#${anchor(heading)})`;
}

module.exports = { commentText, table, code, link };
