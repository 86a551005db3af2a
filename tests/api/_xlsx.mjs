// A minimal XLSX (Office Open XML spreadsheet) writer for the bulk-upload tests, with a tiny
// ZIP writer on node:zlib (deflateRawSync, crc32): no dependency, no committed binary fixture.
//
//   xlsx([['氏名', 'フリガナ'], ['看護 花子', {date: '1990-05-01'}]]) -> Buffer
//
// A cell is a string (written to the shared strings table), a number, null/undefined (no cell),
// {inline: 'text'} (an inline string), {date: 'YYYY-MM-DD'} (a date serial with the built-in
// date format 14), or {formula: 'A1&B1', value: 'cached text'} (a formula cell with its cached
// string result, as Excel saves it).
import { deflateRawSync, crc32 } from 'node:zlib';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function colName(i) {
  let s = '';
  for (i += 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

// Days since 1899-12-30 (Excel's 1900 date system, past 1900-03-01).
export function excelSerial(date) {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86400e3);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export function sheetParts(rows) {
  const strings = [];
  const index = new Map();
  const sst = (s) => {
    if (!index.has(s)) { index.set(s, strings.length); strings.push(s); }
    return index.get(s);
  };
  let sheet = `${XML}<worksheet xmlns="${NS}" xmlns:r="${REL_NS}"><sheetData>`;
  rows.forEach((row, ri) => {
    sheet += `<row r="${ri + 1}">`;
    row.forEach((cell, ci) => {
      if (cell === null || cell === undefined) return;
      const ref = `${colName(ci)}${ri + 1}`;
      if (typeof cell === 'number') sheet += `<c r="${ref}"><v>${cell}</v></c>`;
      else if (typeof cell === 'string') sheet += `<c r="${ref}" t="s"><v>${sst(cell)}</v></c>`;
      else if ('inline' in cell) sheet += `<c r="${ref}" t="inlineStr"><is><t>${esc(cell.inline)}</t></is></c>`;
      else if ('date' in cell) sheet += `<c r="${ref}" s="1"><v>${excelSerial(cell.date)}</v></c>`;
      else if ('formula' in cell) sheet += `<c r="${ref}" t="str"><f>${esc(cell.formula)}</f><v>${esc(cell.value ?? '')}</v></c>`;
      else throw new Error(`bad cell ${JSON.stringify(cell)}`);
    });
    sheet += '</row>';
  });
  sheet += '</sheetData></worksheet>';
  const shared = `${XML}<sst xmlns="${NS}" count="${strings.length}" uniqueCount="${strings.length}">`
    + strings.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('') + '</sst>';
  return { sheet, shared };
}

export function xlsx(rows) {
  const { sheet, shared } = sheetParts(rows);
  return zip([
    ['[Content_Types].xml', `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      + '<Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
      + '</Types>'],
    ['_rels/.rels', `${XML}<Relationships xmlns="${PKG_REL}">`
      + `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ['xl/workbook.xml', `${XML}<workbook xmlns="${NS}" xmlns:r="${REL_NS}"><sheets>`
      + '<sheet name="届出" sheetId="1" r:id="rId1"/></sheets></workbook>'],
    ['xl/_rels/workbook.xml.rels', `${XML}<Relationships xmlns="${PKG_REL}">`
      + `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>`
      + `<Relationship Id="rId2" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>`
      + `<Relationship Id="rId3" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`],
    ['xl/styles.xml', `${XML}<styleSheet xmlns="${NS}">`
      + '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
      + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
      + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
      + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
      + '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
      + '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
      + '</styleSheet>'],
    ['xl/worksheets/sheet1.xml', sheet],
    ['xl/sharedStrings.xml', shared],
  ]);
}

// A ZIP archive (deflated entries, UTF-8 names) of [[name, string | Buffer], ...].
export function zip(entries) {
  const local = [];
  const central = [];
  let offset = 0;
  // 2026-04-01 12:00 in DOS format; the value does not matter.
  const dosTime = (12 << 11), dosDate = ((2026 - 1980) << 9) | (4 << 5) | 1;
  for (const [name, content] of entries) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const comp = deflateRawSync(data);
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data) >>> 0;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0800, 6);
    h.writeUInt16LE(8, 8);
    h.writeUInt16LE(dosTime, 10);
    h.writeUInt16LE(dosDate, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(comp.length, 18);
    h.writeUInt32LE(data.length, 22);
    h.writeUInt16LE(nameBuf.length, 26);
    h.writeUInt16LE(0, 28);
    local.push(h, nameBuf, comp);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt16LE(dosTime, 12);
    c.writeUInt16LE(dosDate, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(comp.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(nameBuf.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, nameBuf);
    offset += h.length + nameBuf.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, cd, end]);
}
