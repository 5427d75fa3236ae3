"""The message catalogue: every text xlcompare shows people, in Chinese and in English.

    TEXTS   key → (中文, English) templates, `{name}` for an argument (str.format)
    CLICK   click's own messages (its gettext msgids, English) → 中文

A key is a code of codes.py (whose one-line meaning is its wording when the catalogue has no
entry of its own), a code and a case of it (`corrupt.part-damaged`), or a text of the
interface (`cli.…`, `help.…`, `metavar.…`, `level.…`). messages.py renders them; the tests
check that both languages name the same arguments and that every key used is here.

Chinese is what officers read: it says what is wrong and what to do, in their words. English
says the same for whoever asks for it (`--lang en`).

Plain values: this module imports nothing.
"""

from __future__ import annotations

__all__ = ["CLICK", "TEXTS"]

TEXTS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ plain text
    # text that is not ours to word (an exception's own message, a name): shown as it is
    "text": ("{text}", "{text}"),
    # a place and what is wrong there
    "where": ("{where}：{text}", "{where}: {text}"),
    # a warning that is not an error (the run goes on), its code at the end
    "notice": ("{text} [{code}]", "{text} [{code}]"),

    # ------------------------------------------------------------------ levels
    "level.error": ("错误", "error"),
    "level.warning": ("警告", "warning"),
    "level.info": ("提示", "info"),

    # ------------------------------------------------------------------ the command's lines
    "cli.error": ("xlcompare 错误：{text}", "xlcompare: error: {text}"),
    "cli.warning": ("xlcompare 警告：{text}", "xlcompare: warning: {text}"),
    "cli.not-ready": ("xlcompare 未就绪：{text}", "xlcompare: not ready: {text}"),
    "cli.wrote": ("已写入 {output}", "wrote {output}"),
    "cli.up-to-date-unread": (
        "{output} 已是最新：未读取文件，沿用历史记录 {known} 个，无法读取 {failed} 个"
        "（{folder} 中没有文件在它写出后改动）",
        "{output} is up to date: 0 files read, {known} from history, {failed} could not be "
        "read (no file in {folder} changed since it was written)"),
    "cli.up-to-date": ("{output} 已是最新（写出后没有改动）",
                       "{output} is up to date (nothing changed since it was written)"),
    "cli.batch-done": (
        "{output}：{stations} 个站点；读取 {read} 个文件，沿用历史记录 {known} 个，"
        "无法读取 {failed} 个{not_ready}（{seconds:.2f} 秒）",
        "{output}: {stations} stations; {read} files read, {known} from history, {failed} "
        "could not be read{not_ready} ({seconds:.2f} s)"),
    "cli.batch-not-ready": ("，未就绪 {n} 个", ", {n} not ready"),
    "cli.watching": ("正在监视 {folder} → {output}（按 Ctrl-C 停止）",
                     "watching {folder} → {output} (Ctrl-C to stop)"),
    "cli.stopped": ("已停止", "stopped"),
    "cli.verified": ("已核实：{ident} {station} {cutoff} {rule}——{note}",
                     "verified: {ident} {station} {cutoff} {rule} — {note}"),
    "cli.waiting-station": ("等待：{folder} 中还没有可读取的站点报表（未写入 {output}）",
                            "waiting: no station workbook in {folder} yet ({output} not written)"),
    "cli.waiting-open": ("等待：{file} 正在 Excel/WPS 中打开（{lock}），关闭后再读；其他文件照常汇总",
                         "waiting: {file} is open in Excel/WPS ({lock}), read once it is "
                         "closed; the other files are summarised meanwhile"),
    "cli.waiting-copy": ("等待：{file} 仍在写入（大小或时间在变），稳定后再读",
                         "waiting: {file} is still being written (its size or time changes)"),
    "stale-lock.minutes": ("不再等待：锁文件 {lock} 已超过 {minutes} 分钟未更新，视为遗留（Excel 异常退出？），"
                           "照常读取它所锁的工作簿",
                           "no longer waiting: the lock file {lock} has not changed for more "
                           "than {minutes} minutes, taken as left behind (Excel crashed?); its "
                           "workbook is read"),
    "flag-not-found.known": ("数据质量表中没有编号 {ident} 的一项；现有：{known}",
                             "no flag {ident} in the 数据质量 sheet; there are: {known}"),
    "flag-note-missing.note": ("请用 --note 写明核实结果", "write what was found out with --note"),
    "config-invalid.host": ("--host {host}：{detail}", "--host {host}: {detail}"),
    "cli.output-kept": ("原有的 {output} 保持不变", "{output} is kept as it was"),
    "cli.output-not-written": ("未写入 {output}", "{output} not written"),
    "no-station-workbook.folder": ("{folder} 中没有可读取的站点报表（共 {files} 个文件，{failed} 个未能读取）；"
                                   "{kept}",
                                   "no station workbook could be read in {folder} ({files} "
                                   "files, {failed} could not be read); {kept}"),
    "output-unwritable.watch": ("无法写入 {folder}；请用 -o 换一个位置",
                                "cannot write in {folder}: choose another place with -o"),
    "cli.diff-two": (
        "diff 需要恰好两个站点（或同一站点的两个截止日期）；这些文件中有 {count} 个：{found}",
        "diff needs exactly two stations (or two cut-offs of one); these files hold "
        "{count}: {found}"),
    "cli.none": ("（无）", "none"),
    "cli.no-such-station": ("文件中没有站点“{name}”；有：{held}",
                            "no station {name!r} in these files; they hold: {held}"),
    "cli.station-at": ("{station}（{cutoff}）", "{station} ({cutoff})"),
    "cli.version": ("xlcompare 版本 {version}", "xlcompare, version {version}"),

    # ------------------------------------------------------------------ bad option values
    "cli.bad-date": (
        "“{value}”不是日期：请写成 2024-03-31、2024年3月31日、2024/3/31 或 2024.3.31",
        "{value!r} is not a date: write 2024-03-31, 2024年3月31日, 2024/3/31 or 2024.3.31"),
    "cli.bad-number": ("“{value}”不是数字", "{value!r} is not a number"),
    "cli.basic-share-range": (
        "基本完成线是按时间应达进度的比例，须大于0且不超过1，“{value}”不在此范围",
        "the 基本完成 line is a share of expected progress, above 0 and at most 1: {value} is "
        "not"),
    "cli.basic-share-percent": (
        "基本完成线是比例而不是百分数：{value} 应写成 {share}（即 {value}%）",
        "the 基本完成 line is a share, not a percentage: write {share} for {value}%"),
    "cli.over-multiple-range": (
        "超额线是按时间应达进度的倍数，须大于1，“{value}”不是",
        "the 超额 line is a multiple of expected progress, above 1: {value} is not"),
    "cli.jobs-range": ("进程数须在 1 到 64 之间，{value} 不在其中",
                       "the number of processes is 1 to 64: {value} is not"),
    "web-not-installed.missing": ("xlcompare serve 需要网页组件（未安装：{names}）：请运行 "
                                  "pip install 'xlcompare[web]'",
                                  "xlcompare serve needs the web extra (not installed: {names}): "
                                  "pip install 'xlcompare[web]'"),
    "cli.output-suffix": (
        "输出是Excel工作簿，文件名须以 .xlsx 结尾：{name}",
        "the output is an Excel workbook: its name must end in .xlsx, not {name}"),
    "cli.output-is-folder": ("{name} 是文件夹：请给出输出工作簿的文件名（如 汇总.xlsx）",
                             "{name} is a folder: give the output workbook's file name "
                             "(summary.xlsx)"),
    "cli.not-a-workbook-or-folder": ("找不到文件或文件夹：{name}", "no such file or folder: {name}"),
    "cli.no-workbook-in-folder": ("文件夹 {folder} 中没有站点工作簿",
                                  "no station workbook in the folder {folder}"),

    "output-folder-missing.choose": (
        "输出文件夹“{folder}”不存在：请先建好它，或用 -o 另选位置",
        "the output folder {folder} does not exist: create it, or choose another place with -o"),

    # ------------------------------------------------------------------ the batch's files
    "batch.still-copying": ("可能仍在复制中：{text}", "still being copied?: {text}"),
    "batch.unchanged": ("未改动，沿用上次读取结果", "unchanged since the last run"),
    "batch.unreadable": ("无法读取", "could not be read"),
    "open-in-excel.lock": ("正在 Excel/WPS 中打开（{lock}），关闭后再读",
                           "open in Excel/WPS ({lock}): read once it is closed"),
    "earlier-report.cutoffs": ("较早的报表（统计截止 {cutoff}）：只用于趋势；总览等表用同站点统计截止 "
                               "{latest} 的报表",
                               "an earlier report (cut-off {cutoff}): used for the trend only; "
                               "总览 and the other sheets show the station's report of {latest}"),
    "superseded.by": ("与较新的 {newer} 站点和统计截止日期相同，以较新文件为准",
                      "the same station and cut-off as the newer {newer}, which is used"),
    "unexpected-error.detail": ("读取时出现意外错误（程序缺陷）：{kind}：{text}",
                                "unexpected {kind}: {text}"),

    # ------------------------------------------------------------------ writing a workbook
    "output-locked.close": ("无法替换该文件：它在其他程序（Excel/WPS？）中打开着；请关闭后重试",
                            "cannot replace the file: it is open in another program "
                            "(Excel/WPS?); close it and run again"),
    "disk-full.output": ("磁盘已满{elsewhere}：{reason}；原有的输出文件完好——请腾出空间，或用 -o 写到别处",
                         "no space left on the disk{elsewhere}: {reason}; the previous output "
                         "is intact — free some space, or write elsewhere with -o"),
    "disk-full.writing": ("（写入 {file} 时）", " (writing {file})"),
    "output-unwritable.folder": ("无法写入 {folder}：{reason}；请用 -o 另选位置",
                                 "cannot write in {folder}: {reason}; choose another place with -o"),
    "io-failure.output": ("无法写出输出文件：{reason}", "cannot write the output: {reason}"),
    "note.cell-cut": ("{cell}：{length} 个字符的文字超过Excel上限，已截断",
                         "{cell}: text of {length} characters cut to Excel's limit"),

    # ------------------------------------------------------------------ the web page (serve)
    "note.detail": ("{text}：{detail}", "{text}: {detail}"),
    "serve-needs-token.short": ("--token 只有 {n} 个字符", "--token has only {n} characters"),
    "serve-needs-token.host": (
        "--host {host} 会让其他电脑访问本页面；请同时给出 --token（例如 python -c \"import secrets; "
        "print(secrets.token_urlsafe())\" 的输出）",
        "--host {host} lets other computers reach this page: give --token too (the output of "
        "python -c \"import secrets; print(secrets.token_urlsafe())\", say)"),
    "cli.serve-local": ("本机打开：{address}", "on this machine: {address}"),
    "cli.serve-stop": ("按 Ctrl-C 停止", "Ctrl-C to stop"),
    "file-not-listed.outside": ("文件不在本文件夹中", "outside the folder"),
    "protected-path.remove": ("不能移除历史数据库", "the history is never removed"),
    "bad-file-name.removed-many": ("已移除的同名文件过多", "too many removed files of this name"),
    "bad-file-name.empty": ("没有文件名", "no file name"),
    "bad-file-name.characters": ("文件名含有控制字符或 Windows 不允许的字符 <>:\"|?*，未保存",
                                 "characters not allowed in a file name: not saved"),
    "bad-file-name.hidden": ("隐藏文件或临时文件的名称（以 . 或 ~ 开头），未保存",
                             "a hidden or temporary file's name: not saved"),
    "bad-file-name.device": ("Windows 设备名或以点、空格结尾的名称，未保存",
                             "a device name, or a name ending in a dot or space: not saved"),
    "bad-file-name.long": ("文件名过长，未保存", "the name is too long: not saved"),
    "bad-file-name.many": ("同名文件过多，未保存", "too many files of this name: not saved"),
    "not-a-workbook-name.suffixes": ("只接受工作簿（{suffixes}）或 .zip 压缩包，未保存",
                                     "only workbooks ({suffixes}) or a .zip are taken: not saved"),
    "not-a-workbook-name.zip-in-zip": ("压缩包中的压缩包不展开，未保存", "a zip inside the zip: not saved"),
    "upload-too-large.size": ("文件 {mb} MB，超过上限 {limit} MB，未保存",
                              "{mb} MB, over the limit of {limit} MB: not saved"),
    "too-many-files.zip": ("压缩包中的工作簿超过 {limit} 个，其余未保存",
                           "more than {limit} workbooks in the zip: the rest not saved"),
    "same-file-there.named": ("文件夹中已有内容相同的 {name}，未重复保存",
                              "already there as {name}: not saved again"),
    "note.saved": ("已保存", "saved"),
    "note.saved-as": ("已保存为 {name}（已有同名文件，未覆盖）",
                      "saved as {name} (a file of that name is there, kept)"),
    "note.zip-unopened": ("压缩包未能打开：{why}", "the zip could not be opened: {why}"),

    # ------------------------------------------------------------------ escaped errors
    "disk-full.escaped": ("磁盘已满（{reason}）；请腾出空间，或写到别处（-o、--db）",
                          "no space left on the disk ({reason}); free some space, or write "
                          "elsewhere (-o, --db)"),
    "output-unwritable.escaped": (
        "{reason}：请选择可以写入的位置（-o、--db），或加 --no-history 运行",
        "{reason}: choose a place that can be written (-o, --db) or run with --no-history"),
    "io-failure.escaped": ("读写磁盘出错：{reason}", "input/output error: {reason}"),
    "internal-error.escaped": (
        "程序内部错误（缺陷）：{kind}：{text}（请报告此问题；设置 XLCOMPARE_TRACEBACK=1 可看到出错位置）",
        "internal error, a bug: {kind}: {text} (please report it; XLCOMPARE_TRACEBACK=1 "
        "shows where)"),
}

# ---------------------------------------------------------------------- refusals (files/)
# why a file cannot be read, and what to do; `{detail}` is a library's own words
TEXTS.update({
    # not there, not ours to open
    "file-locked.permission": ("文件被占用或无权限打开：可能正在其他程序中打开，请关闭后重试",
                               "cannot be opened: permission denied — open in another "
                               "program? close it and run again"),
    "io-error.reason": ("无法读取文件：{reason}", "cannot be read: {reason}"),
    "empty-file.copying": ("空文件（0字节），不是工作簿：如果仍在复制，请稍候再运行",
                           "empty file (0 bytes): not a workbook — if it is still being "
                           "copied, wait and run again"),
    "zero-filled.copying": ("文件内容全为0，可能仍在复制", "empty: the file holds only zero bytes "
                            "— still being copied?"),
    "file-too-large.size": ("文件过大：{mb:.0f} MB（上限 {limit:g} MB）",
                            "too large: {mb:.0f} MB (limit {limit:g} MB)"),
    "old-excel.save": ("旧版Excel文件（Excel 2.x–4.x，1995年前）：请打开后另存为 .xlsx",
                       "an Excel 2.x–4.x file (before 1995): open it and save it as .xlsx"),
    "unknown-format.save": ("不是Excel工作簿（未知格式）：请用 Excel 或 WPS 另存为 .xlsx",
                            "not an Excel workbook (unknown format); save it as .xlsx from "
                            "Excel or WPS"),
    "out-of-memory.read": ("文件过大：内存不足，无法读取", "too large: not enough memory to read it"),
    "unreadable.detail": ("文件无法读取（未预见的结构）：{kind}：{detail}",
                          "corrupt or unreadable: {kind}: {detail}"),
    "is-folder.named": ("是文件夹，不是工作簿", "is a folder, not a workbook"),
    "special-file.never": ("不是普通文件（管道、套接字或设备），未打开",
                           "not a regular file (a pipe, socket or device): never opened"),
    "own-output.author": ("{author} 生成的文件，不是社工站的工作簿",
                          "written by {author}, not a station's workbook"),
    "password-protected.save-copy": ("文件有密码：请另存为无密码副本",
                                     "password-protected: save a copy without a password"),
    "password-protected.zip": ("文件有密码（加密的压缩包）：请另存为无密码副本",
                               "encrypted zip: save a copy without a password"),
    # not a workbook
    "pdf-document.ask": ("这是PDF文件，不是工作簿：请向社工站索取Excel原表",
                         "a PDF document, not a workbook: ask the station for the Excel file"),
    "image-file.ask": ("这是图片（{kind}），不是工作簿：请向社工站索取Excel原表",
                       "an image ({kind}), not a workbook: ask the station for the Excel file"),
    "archive.unpack": ("这是压缩包（{kind}）：请先解压，再读取其中的工作簿",
                       "a {kind} archive: unpack it and read the workbooks inside"),
    "text-document.rtf": ("这是RTF文本文档，不是工作簿", "an RTF text document, not a workbook"),
    "word-document.named": ("这是Word文档（{suffix}），不是工作簿",
                            "a Word document ({suffix}), not a workbook"),
    "powerpoint.named": ("这是PPT文件，不是工作簿", "a PowerPoint file, not a workbook"),
    "office-no-workbook.save": ("不是Excel工作簿（Office文件中没有工作簿）：请用 Excel 或 WPS "
                                "另存为 .xlsx",
                                "not an Excel workbook (an Office container without a workbook "
                                "inside); save it as .xlsx from Excel or WPS"),
    "odf-not-spreadsheet.kind": ("OpenDocument 文件（{kind}），不是电子表格",
                                 "an OpenDocument {kind}, not a spreadsheet"),
    "no-table.markup": ("XML 或网页文件中没有表格，不是工作簿",
                        "an XML or HTML file without a table, not a workbook"),
    "no-table.web-page": ("网页中没有表格，不是工作簿", "a web page without a table, not a workbook"),
    "no-table.web-archive": ("网页存档中没有表格，不是工作簿",
                             "a web archive without a table, not a workbook"),
    "no-worksheets.xml": ("Excel 2003 XML 文件中没有工作表",
                          "an Excel 2003 XML file without worksheets"),
    "unknown-encoding.save": ("无法识别的文本编码（不是 utf-8 或 gb18030）：请用 Excel 或 WPS "
                              "另存为 .xlsx",
                              "not readable text in any known encoding (utf-8, gb18030); save "
                              "it as .xlsx from Excel or WPS"),
    "isolation-forbidden.file": (
        "无法在此读取：{why}，只能在独立进程中读取，而设置 isolate = \"never\" 不允许；"
        "请另存为 .xlsx",
        "unsupported here: {why} can only be read in a separate process, which [limits] "
        "isolate = \"never\" forbids; save it as .xlsx"),
    "isolation-forbidden.web-page": (
        "无法在此读取：这么大的网页只在独立进程中解析，而设置 isolate = \"never\" 不允许",
        "unsupported here: a web page this large is only parsed in a separate process, which "
        "[limits] isolate = \"never\" forbids"),
    # damaged or incomplete
    "truncated.ends-early": ("文件不完整：可能仍在复制或下载中断，请重新复制",
                             "truncated: the file ends early — not copied completely, or the "
                             "download was interrupted; copy it again"),
    "truncated.part": ("文件不完整：部件 {part} 提前结束", "truncated: part {part} ends early"),
    "truncated.record": ("文件不完整：工作簿数据在一条记录中间结束",
                         "truncated: the workbook stream ends inside a record"),
    "truncated.xml": ("文件不完整：Excel 2003 XML 无法读取（{detail}）",
                      "truncated: the Excel 2003 XML cannot be read ({detail})"),
    "corrupt.detail": ("文件已损坏：{detail}", "corrupt: {detail}"),
    "corrupt.damaged": ("文件已损坏（{detail}）", "corrupt: the file is damaged ({detail})"),
    "corrupt.zip-directory": ("文件已损坏：无法读取其 zip 目录",
                              "corrupt: the file is damaged (its zip directory cannot be read)"),
    "corrupt.part": ("文件已损坏：部件 {part} 损坏", "corrupt: part {part} is damaged"),
    "corrupt.part-checksum": ("文件已损坏：部件 {part} 校验不符",
                              "corrupt: part {part} is damaged (checksum)"),
    "corrupt.xml": ("文件已损坏：部件 {part} 不是格式正确的 XML（{detail}）",
                    "corrupt: part {part} is not well-formed XML ({detail})"),
    "corrupt.sheet-list": ("文件已损坏：无法读取工作簿的工作表清单（{detail}）",
                           "corrupt: the workbook's sheet list cannot be read ({detail})"),
    "corrupt.no-content": ("文件已损坏：OpenDocument 文件没有内容",
                           "corrupt: an OpenDocument file without content"),
    "corrupt.shared-strings": ("文件已损坏：共享字符串表损坏",
                               "corrupt: the shared-string table is damaged"),
    "corrupt.sheet-outside": ("文件已损坏：工作表 {sheet} 指向文件之外",
                              "corrupt: sheet {sheet} points outside the file"),
    "corrupt.merged-cells": ("文件已损坏：合并单元格记录损坏",
                             "corrupt: a merged-cells record is damaged"),
    "corrupt.number-record": ("文件已损坏：数字记录损坏", "corrupt: a number record is damaged"),
    "corrupt.xml-2003": ("文件已损坏：Excel 2003 XML 无法读取（{detail}）",
                         "corrupt: the Excel 2003 XML cannot be read ({detail})"),
    "corrupt.csv": ("文件已损坏：CSV 无法读取（{detail}）", "corrupt: the CSV cannot be read ({detail})"),
    "corrupt.no-sheet": ("文件已损坏：没有一个工作表能读取——{sheet}：{why}{more}",
                         "corrupt: no sheet can be read — {sheet}: {why}{more}"),
    "corrupt.more-sheets": ("（另有 {n} 个工作表）", " (and {n} more sheet(s))"),
    "corrupt.sheet": ("工作表已损坏：{why}", "corrupt sheet: {why}"),
    "corrupt.workbook": ("文件已损坏或无法读取：{why}", "corrupt or unreadable workbook: {why}"),
    "corrupt.no-answer": ("文件已损坏：读取进程没有给出结果", "corrupt: the reader gave no answer"),
    "duplicate-part.named": ("文件已损坏：部件 {part} 在文件中出现两次",
                             "corrupt: the part {part} appears twice inside the file"),
    "unsupported-compression.method": (
        "文件使用不支持的压缩方式（部件 {part}，方式 {method}）：请用 Excel 或 WPS 重新保存",
        "unsupported: part {part} uses compression method {method}; save it again from Excel "
        "or WPS"),
    "reader-crashed.how": ("文件已损坏：读取进程意外终止（{how}）；请用 Excel 或 WPS 打开后重新保存",
                           "damaged: the reader crashed on it ({how}); open it in Excel or WPS "
                           "and save it again"),
    # too large
    "too-many-parts.count": ("文件过大：压缩包内有 {count} 个部件（上限 {limit}）",
                             "too large: {count} parts inside the zip (limit {limit})"),
    "unpacked-too-large.size": ("文件过大：解压后 {mb:.0f} MB（上限 {limit:g} MB）",
                                "too large: {mb:.0f} MB once unpacked (limit {limit:g} MB)"),
    "too-many-cells.limit": ("文件过大：有值的单元格超过 {limit} 个",
                             "too large: more than {limit} cells with values"),
    "sheet-too-large.spans": ("表格过大：工作表占 {rows} 行 × {cols} 列（上限 {limit} 个单元格）",
                              "too large: the sheet spans {rows} rows × {cols} columns (limit "
                              "{limit} cells)"),
    "far-cells.up-to": (
        "文件过大：表格外远处有内容（直到 {cell}），工作表大到无法读取；请删除表格以外的内容后重新保存",
        "too large: a cell far outside the table (up to {cell}) makes the sheet too big to "
        "read; delete everything outside the table and save again"),
    "out-of-memory.reader": ("文件过大：读取需要的内存超过允许的上限",
                             "too large: the reader would need more memory than it may use"),
    "read-timeout.seconds": ("读取超时：超过 {seconds:g} 秒", "too large: reading it took longer "
                             "than {seconds:g} s"),
    "read-timeout.cpu": ("读取超时：处理器时间超过 {seconds:g} 秒（{how}）",
                         "too large: reading it took longer than {seconds:g} s of processor "
                         "time ({how})"),
    "resource-limit.memory": (
        "文件过大：读取进程内存不足（{how}，上限 {limit} MB）；请删除表格以外远处的内容，或另存为 .xlsx",
        "too large: the reader ran out of memory ({how}, limit {limit} MB); delete cells far "
        "outside the table, or save it as .xlsx"),
    "resource-limit.child": ("文件过大：读取进程内存不足（上限 {limit} MB）",
                             "too large: the reader ran out of memory (limit {limit} MB)"),
    # unsafe
    "zip-bomb.ratio": ("疑似压缩炸弹，已拒绝：部件 {part} 解压后为原来的 {ratio:.0f} 倍"
                       "（上限 {limit:g} 倍）",
                       "unsafe: part {part} unpacks {ratio:.0f}× (limit {limit:g}×): a zip "
                       "bomb, not a workbook"),
    "zip-bomb.oversize": ("疑似压缩炸弹，已拒绝：部件 {part} 的内容多于其声明的 {size} 字节",
                          "unsafe: part {part} holds more than the {size} bytes it declares"),
    "entity-declaration.part": (
        "文件含可疑XML声明，已拒绝：部件 {part} 声明了 DTD/实体（<!DOCTYPE>），工作簿从不如此",
        "unsafe: part {part} declares a DTD/entities (<!DOCTYPE>), which workbooks never do: "
        "refused to protect against entity bombs and file reads"),
    "entity-declaration.xml": ("文件含可疑XML声明，已拒绝：{kind}", "unsafe: {kind} in the XML"),
})

# why a sheet (or a file) could not be read, in words: what calamine's error means
TEXTS.update({
    "reason.damaged": ("读取程序遇到无法理解的结构（文件已损坏）",
                       "the reader met a structure it could not make sense of (a damaged file)"),
    "reason.unknown": ("读取程序无法理解其内容", "the reader could not make sense of it"),
    "reason.part-needed": ("此工作表所需的部件缺失", "a part of the file that this sheet needs "
                           "is missing"),
    "reason.cell-reference": ("其中的单元格引用不是表格上的位置",
                              "a cell reference in it is not a place on the grid"),
    "reason.sheet-not-held": ("工作簿列出的工作表在文件中不存在",
                              "the workbook lists a sheet the file does not hold"),
    "reason.sheet-kind": ("列出了读取程序不认识的工作表类型",
                          "it lists a sheet of a kind the reader does not know"),
    "reason.ends-early": ("提前结束：有部件被截断", "it ends early: a part is cut short"),
    "reason.xml": ("其 XML 已损坏", "its XML is damaged"),
    "reason.zip": ("其 zip 容器已损坏", "its zip container is damaged"),
    "reason.records": ("其二进制记录已损坏", "its binary records are damaged"),
    "reason.shared-strings": ("其共享字符串表已损坏", "its shared-string table is damaged"),
    "reason.part-missing": ("其部件 {part} 在文件中缺失", "its part {part} is missing from the file"),
    "reason.xml-part": ("其 XML（{part}）已损坏：{detail}", "its XML ({part}) is damaged: {detail}"),
    "reason.listed-no-part": ("工作簿中列出了它，但文件中没有它的部件",
                              "it is listed in the workbook, but the file holds no part for it"),
    "reason.macro-sheet": ("Excel 4.0（XLM）宏表", "an Excel 4.0 (XLM) macro sheet"),
    "reason.sheet-of-kind": ("{kind} 类工作表", "a sheet of the kind {kind!r}"),
    "reason.stopped-by": ("被信号 {signal} 终止", "stopped by {signal}"),
    "reason.aborted": ("异常中止", "aborted"),
    "reason.exit-status": ("退出状态 {status}", "exit status {status}"),
})

# what reading a file found that is not a doubt about a figure (notes; Problems of files/)
TEXTS.update({
    "note.isolated": ("在独立进程中读取：{why}", "read in a separate process: {why}"),
    "note.why-xlsb": ("二进制 .xlsb 工作簿", "an .xlsb binary workbook"),
    "note.why-always": ("设置 isolate = always", "[limits] isolate = always"),
    "note.why-large-page": ("网页文件较大", "a large web page"),
    "note.why-ods-markup": ("有表格的结构无法逐一核对", "a table whose markup could not be followed"),
    "note.why-cell-references": ("有工作表的单元格位置无法逐一核对",
                                 "a sheet whose cell references could not be followed"),
    "note.by-content": ("按{format}读取：无论扩展名如何，此文件并非Excel工作簿",
                        "read as {format} by its content, whatever its name"),
    "note.format-html": ("网页表格", "a web page table (HTML)"),
    "note.format-mhtml": ("网页存档（MHTML）", "a web archive (MHTML)"),
    "note.format-spreadsheetml": ("Excel 2003 XML（SpreadsheetML）",
                                  "Excel 2003 XML (SpreadsheetML)"),
    "note.format-csv": ("CSV 文本", "CSV text"),
    "note.no-cells": ("{kind} 类工作表“{sheet}”没有单元格，已跳过",
                      "the {kind} sheet {sheet!r} holds no cells: skipped"),
    "note.sheet-not-read": ("工作表“{sheet}”未读取，不含数据（{why}）",
                            "the sheet {sheet!r} was not read: {why}, no data"),
    "note.shared-strings-fixed": ("共享字符串表声明的条数多于实际所含，已从修正后的副本读取",
                                  "the shared-string table declares more strings than it holds: "
                                  "read from a corrected copy"),
    "sheet-unreadable.other-sheets": (
        "此工作表无法读取：{why}；其余工作表已读取——请用 Excel 或 WPS 打开后重新保存",
        "this sheet cannot be read: {why}; the other sheets were read — open the file in Excel "
        "or WPS and save it again"),
    "text-cut.cells": ("{n} 个单元格的文字超过Excel上限（{cell} 有 {length} 个字符），已截断为 {cap} 个",
                       "{n} cell(s) hold more text than Excel allows ({length} characters in "
                       "{cell}); cut to {cap}"),
    "hidden-sheet.read": ("隐藏工作表，已与其他工作表一并读取",
                          "this sheet is hidden in the workbook; it was read like the others"),
    "saved-zero-formula.used": (
        "{n} 个公式保存值为0（由不计算公式的程序写出），按公式重算为其他数字并采用：{listing}",
        "{n} formula(s) saved as 0 (written by a program that does not compute formulas) "
        "compute to another number, which is used: {listing}"),
    "saved-zero-doubtful.recalc": (
        "{n} 个公式保存值为0，文件要求打开时重算，而此处无法重算，0 可能不是真实结果：{listing}；"
        "请用 Excel 或 WPS 打开并保存",
        "{n} formula(s) saved as 0 in a file that asks to be recalculated when opened cannot be "
        "recomputed here, so 0 may not be real: {listing}; open and save the file in Excel or "
        "WPS"),
    "note.listing-more": ("{shown} 等，另有 {more} 处", "{shown} and {more} more"),
    "stray-cells.far": ("表格外远处有 {n} 个单元格有内容（{where} 以外），未读取：{shown}{more}；"
                        "请删除或移入表格",
                        "{n} cell(s) far outside the table (beyond {where}) were not read: "
                        "{shown}{more}; delete them or move them into the table"),
    "cell-past-grid.cells": (
        "{n} 个单元格位置超出Excel表格范围（第1–1048576行、A–XFD列），未读取：{shown}{more}——"
        "文件由有缺陷的程序写出或被改动过；请用 Excel 或 WPS 打开，核对表格后重新保存",
        "{n} cell(s) at no place on Excel's grid (rows 1–1048576, columns A–XFD) were not read: "
        "{shown}{more} — the file was written by a faulty program or altered; open it in Excel "
        "or WPS, check the table and save it again"),
    "note.more": ("，另有 {n} 处", " and {n} more"),
    # a cell that is not a figure (the reader reports it with its place)
    "not-finite.value": ("不是有限数值：{value}", "not a finite number: {value}"),
    "date-not-number.value": ("此处应为数字，却是日期 {value}", "a date where a number belongs: "
                              "{value}"),
    "error-value.value": ("错误值 {value}", "error value {value}"),
    "not-a-number.value": ("不是数字：{value}", "not a number: {value}"),
})

# settings files (layout.toml [limits], judge.toml, taxonomy files)
TEXTS.update({
    "config-invalid.limits-unknown": ("[limits] 中有未知的设置：{names}",
                                      "unknown setting(s) in [limits]: {names}"),
    "config-invalid.limits-choice": ("[limits] {key} 须为 {choices} 之一",
                                     "[limits] {key} must be one of {choices}"),
    "config-invalid.limits-positive": ("[limits] {key} 须为正数，而不是 {value}",
                                       "[limits] {key} must be a positive number, not {value}"),
    # the judging thresholds (a settings file of the schema of judge.toml)
    "config-invalid.settings-unreadable": ("无法读取设置文件：{detail}",
                                           "cannot read settings: {detail}"),
    "config-invalid.unknown-section": ("未知的设置段 [{section}]", "unknown section [{section}]"),
    "config-invalid.key-indicators": ("[summary] key_indicators 须为指标 id 的列表",
                                      "[summary] key_indicators must be a list of indicator ids"),
    "config-invalid.unknown-setting": ("未知的设置 [{section}] {key}",
                                       "unknown setting [{section}] {key}"),
    "config-invalid.not-a-number": ("[{section}] {key} 须为不小于0的数，而不是 {value}",
                                    "[{section}] {key} must be a number ≥ 0, not {value}"),
    "config-invalid.basic-share": ("基本完成线 basic_share 须大于0且不超过1，而不是 {value}",
                                   "basic_share (the 基本完成 line) must be above 0 and at most 1, "
                                   "not {value}"),
    "config-invalid.over-multiple": ("超额线 over_multiple 须大于1，而不是 {value}",
                                     "over_multiple (the 超额 line) must be above 1, not {value}"),
    "config-invalid.concern": ("[attendance.concern] {key} 须为大于0（不超过10）的数，而不是 {value}",
                               "[attendance.concern] {key} must be a number > 0, not {value}"),
    "config-invalid.advice": ("[attendance.advice] {key} 须为文字", "[attendance.advice] {key} must "
                              "be text"),
    # validation rules (a rules file of the schema of rules.toml)
    "config-invalid.rule-term": ("{where}：无法读取“{term}”这一项", "{where}: cannot read the term "
                                 "{term!r}"),
    "config-invalid.rule-empty": ("{where}：有一边是空的", "{where}: an empty side"),
    "config-invalid.rule-missing": ("{where}：缺少 {key}", "{where}: {key} is missing"),
    "config-invalid.rule-op": ("{where}：op 须为 {ops} 之一，而不是 {op!r}",
                               "{where}: op must be one of {ops}, not {op!r}"),
    "config-invalid.rules-unreadable": ("无法读取规则文件：{detail}", "cannot read rules: {detail}"),
    # indicator names (a taxonomy file of the schema of taxonomy.toml)
    "config-not-found.taxonomy": ("找不到指标文件", "taxonomy file not found"),
    "config-unreadable.taxonomy": ("无法读取指标文件：{detail}", "cannot read taxonomy file: {detail}"),
    "config-invalid.toml": ("不是有效的 TOML：{detail}", "not valid TOML: {detail}"),
    "config-invalid.not-a-table": ("{where} 须为表", "{where} must be a table"),
    "config-invalid.unknown-key": ("{where}：未知的键 {key!r}（可用：{allowed}）",
                                   "{where}: unknown key {key!r} (allowed: {allowed})"),
    "config-invalid.wrong-kind": ("{where}：{key!r} 须为{what}，而不是 {value}",
                                  "{where}: {key!r} must be {what}, got {value}"),
    "config-invalid.kind-text": ("非空字符串", "a non-empty string"),
    "config-invalid.kind-texts": ("非空字符串的列表", "a list of non-empty strings"),
    "config-invalid.kind-id": ("snake_case 形式的 id（a-z、0-9、_）", "a snake_case id (a-z, 0-9, _)"),
    "config-invalid.kind-ids": ("至少两个 snake_case id 的列表",
                                "a list of at least two snake_case ids"),
    "config-invalid.kind-number": ("0到100之间的数", "a number from 0 to 100"),
    "config-invalid.kind-small": ("0到4之间的整数", "a whole number from 0 to 4"),
    "config-invalid.kind-rewrites": ("字符串的表", "a table of strings"),
    "config-invalid.kind-lists": ("字符串列表的表", "a table of lists of strings"),
    "config-invalid.top-level": (
        "未知的顶层键 {keys}；应为 [settings]、[[categories]]、[[indicators]]、[[rollups]]",
        "unknown top-level key(s) {keys}; expected [settings], [[categories]], [[indicators]], "
        "[[rollups]]"),
    "config-invalid.not-an-array": ("{section!r} 须为表的数组：请写成 [[{section}]]",
                                    "{section!r} must be an array of tables: write [[{section}]]"),
    "config-invalid.missing-key": ("{where}：缺少 {key!r}", "{where}: missing {key!r}"),
    "config-invalid.missing-keys": ("{where}（新的 {key} {ident!r}）：缺少 {missing}",
                                    "{where} (new {key} {ident!r}): missing {missing}"),
    "config-invalid.unknown-category": ("指标 {ident!r}：未知的类别 {category!r}",
                                        "indicator {ident!r}: unknown category {category!r}"),
    "config-invalid.thresholds": (
        "suggestion_threshold（{suggestion:g}）高于 fuzzy_threshold（{fuzzy:g}）",
        "suggestion_threshold ({suggestion:g}) is above fuzzy_threshold ({fuzzy:g})"),
    "config-invalid.rewrite-longer": ("suffix_rewrites：{suffix!r} = {replacement!r} 须使名称变短",
                                      "suffix_rewrites: {suffix!r} = {replacement!r} must make "
                                      "the name shorter"),
    "config-invalid.rollup-unknown": ("合并项 {whole!r}：未知的指标 {ident!r}",
                                      "roll-up {whole!r}: unknown indicator {ident!r}"),
    "config-invalid.rollup-itself": ("合并项 {whole!r} 把自己列为组成部分",
                                     "roll-up {whole!r} lists itself as a part"),
    "config-invalid.context-category": ("指标 {ident!r}：contextual_aliases 中有未知的类别 {category!r}",
                                        "indicator {ident!r}: contextual_aliases for unknown "
                                        "category {category!r}"),
    "config-invalid.what-name": ("名称", "name"),
    "config-invalid.what-context": ("{category!r} 下的上下文别名",
                                    "contextual alias under {category!r}"),
    "config-invalid.what-category": ("类别名称", "category name"),
    "config-invalid.empty-name": ("指标 {ident!r}：{what} {text!r} 清理后为空",
                                  "indicator {ident!r}: {what} {text!r} is empty once cleaned"),
    "config-invalid.name-taken": (
        "{ident!r} 的{what} {text!r} 已是 {owner!r}（{owner_text!r}）的名称；一个名称不能指两个指标",
        "{what} {text!r} of {ident!r} is already a name of {owner!r} ({owner_text!r}); one name "
        "cannot mean two indicators"),
    "config-invalid.unit-alias": (
        "{ident!r} 的单位别名 {text!r} 与 {other!r} 冲突：它们的单位（{unit}、{own}）属于同一类",
        "unit alias {text!r} of {ident!r} clashes with {other!r}: their units ({unit}, {own}) "
        "are in one family"),
})

# ---------------------------------------------------------------------- the history (batch/)
TEXTS.update({
    "history.place": ("历史记录：{db}", "history: {db}"),
    "history.place-given": ("历史记录：{db}（由 --db 指定）", "history: {db} (given with --db)"),
    "history.place-month": ("历史记录：{db}（新建于上级文件夹 {root}：同级的各月份文件夹共用它，趋势表与上月对比）",
                            "history: {db} (new, in the parent folder {root}: the month folders "
                            "beside each other share it, and 趋势 compares with last month)"),
    "history.place-found": ("历史记录：{db}（上级文件夹 {root} 中已有，与其下各文件夹共用）",
                            "history: {db} (found in the parent folder {root}, shared by the "
                            "folders under it)"),
    "history.place-none": ("历史记录：不使用（--no-history）；趋势表只比较本文件夹中同一站点的各期报表",
                           "history: none (--no-history); 趋势 compares only the reports of a "
                           "station in this folder"),
    "history.what-to-do": ("可用 --db 路径 把历史数据库放到别处，或加 --no-history",
                           "use --db PATH for a history elsewhere, or --no-history"),
    "history.write": ("写入历史数据库", "write the history"),
    "history.create": ("创建历史数据库", "create the history"),
    "history.open": ("打开历史数据库", "open the history"),
    "history.damage-zip": ("它是 zip 文件（工作簿？），不是 SQLite 数据库",
                           "it is a zip file (a workbook?), not an SQLite database"),
    "history.damage-not-sqlite": ("它不是 SQLite 数据库", "it is not an SQLite database"),
    "history.damage-short": ("文件不完整（比文件头还短）", "truncated (shorter than its header)"),
    "history.damage-header": ("文件头已损坏", "its header is damaged"),
    "history.damage-truncated": ("文件不完整（{whole} 字节中只有 {size}）",
                                 "truncated ({size} of {whole} bytes)"),
    "history.foreign-version": ("其版本号为 {version!r}", "its schema version is {version!r}"),
    "history.foreign-tables": ("其中是其他程序的表：{tables}", "it holds the tables {tables}"),
    "history.foreign-columns": ("表 {table} 缺少列 {columns}", "table {table} has no column {columns}"),
    "disk-full.history-os": ("无法{doing}：磁盘已满（{reason}）；请腾出空间，或{todo}",
                             "cannot {doing}: no space left on the disk ({reason}); free some "
                             "space, or {todo}"),
    "history-symlink.in-the-way": ("无法{doing}：有符号链接挡在路径上；请删除它，或{todo}（{reason}）",
                                   "cannot {doing}: a symbolic link is in the way ({reason}); "
                                   "remove it, or {todo}"),
    "history-unwritable.file-in-the-way": (
        "无法{doing}：文件夹应在之处是一个文件；请把它移开，或{todo}（{reason}）",
        "cannot {doing}: a file is where its folder should be ({reason}); move it aside, or "
        "{todo}"),
    "history-unwritable.denied": ("无法{doing}：{reason}；{todo}（放在可以写入的位置）",
                                  "cannot {doing}: {reason}; {todo} (somewhere writable)"),
    "history-unreadable.os": ("无法{doing}：{reason}；{todo}", "cannot {doing}: {reason}; {todo}"),
    "disk-full.history": ("历史数据库无法增长：磁盘已满（{detail}）；请腾出空间，或{todo}",
                          "the history cannot grow: no space left on the disk ({detail}); "
                          "free some space, or {todo}"),
    "history-corrupt.moved": ("历史数据库已损坏（{detail}）；已移到一旁，下次运行会新建一个——或{todo}",
                              "the history is damaged ({detail}); it has been moved aside and "
                              "the next run starts a new one — or {todo}"),
    "history-locked.other-program": ("历史数据库被其他程序锁定（{detail}）；请等它结束后再试，或{todo}",
                                     "the history is locked by another program ({detail}); try "
                                     "again when it has finished, or {todo}"),
    "history-unwritable.sqlite": ("无法写入历史数据库（{detail}）；{todo}（放在可以写入的位置）",
                                  "cannot write the history ({detail}); {todo} (somewhere "
                                  "writable)"),
    "history-unreadable.sqlite": ("无法使用历史数据库（{detail}）；请把它移开，或{todo}",
                                  "cannot use the history ({detail}); move it aside, or {todo}"),
    "history-unreadable.closed": ("历史数据库已关闭", "the history is closed"),
    "history-foreign.why": ("不是 xlcompare 的历史数据库（{why}），未作改动：请把它移开，或{todo}",
                            "not an xlcompare history ({why}); it is left as it is: move it "
                            "aside, or {todo}"),
    "history-symlink.never": (
        "是符号链接（指向 {target}）：xlcompare 从不经由符号链接打开历史数据库，以免共享文件夹中"
        "被放置的链接让它写到别处；请删除该链接，或{todo}",
        "is a symbolic link (to {target}): xlcompare never opens its history through one, so "
        "that a link planted in a shared folder cannot make it write elsewhere; remove the "
        "link, or {todo}"),
    "history-too-new.schema": ("历史数据库版本 {found} 比本程序能识别的（{known}）新：请升级 xlcompare，"
                               "或用 --db 另用一个",
                               "history schema {found} is newer than this xlcompare understands "
                               "({known}); upgrade xlcompare or use --db"),
    "history-rebuilt.aside": (
        "{path}：历史数据库已损坏（{why}）；已移到一旁（{aside}）并新建一个：每个文件会重新读取一次，"
        "趋势表从头开始",
        "{path}: the history was damaged ({why}); it was moved aside to {aside} and a new one "
        "started: every file is read again once and the 趋势 sheet starts afresh"),
    "history-lock-taken-over.gone": ("{path}：持锁的运行（{owner}）已不存在，已接管其锁",
                                     "{path}: the run that held this lock ({owner}) is gone; "
                                     "its lock was taken over"),
    "history-locked.another-run": (
        "另一个 xlcompare 正在处理此文件夹：请等它结束后再试（如果并没有在运行，可能是它留下的进程"
        "占着锁：`fuser {path}` 可查出是哪个）",
        "another xlcompare run is working on this folder; try again when it has finished (if "
        "none is, a process it left may hold the lock: `fuser {path}` names it)"),
})

# ---------------------------------------------------------------------- the terminal (ui.)
TEXTS.update({
    "ui.no-station": ("（未识别站点）", "(station not found)"),
    "ui.operator": ("承办机构：{operator}", "operator: {operator}"),
    "ui.operators": ("承办机构：{periods}", "operators: {periods}"),
    "ui.operator-periods": ("承办期间：{periods}", "periods: {periods}"),
    "ui.period-staff": ("各承办期平均到岗：{periods}", "average staff per period: {periods}"),
    "ui.period": ("合同期：{period}    统计截止：{cutoff}", "contract: {period}    cut-off: {cutoff}"),
    "ui.sources": ("来源文件：{files}", "files: {files}"),
    "ui.unmatched": ("未识别指标（{n}）：", "unmatched ({n}):"),
    "ui.unmatched-hint": ("——可在工作簿旁的 xlcompare-taxonomy.toml 中加别名",
                          "  — add an alias in xlcompare-taxonomy.toml beside the workbooks"),
    "ui.staffing": ("人员：{facts}", "staffing: {facts}"),
    "ui.problems": ("问题（{n}）：", "problems ({n}):"),
    "ui.problem": ("{level} {code}：{text}", "{level} {code}: {text}"),
    "ui.no-problems": ("问题：无", "problems: none"),
    "ui.detected": ("识别过程：", "detected:"),
    "ui.cells": ("单元格（每个有内容的单元格按读取时的角色）：",
                 "cells (every filled cell by the role it was read in):"),
    "ui.persons": ("附件2 人员明细（--with-names）", "附件2 per person (--with-names)"),
    "ui.taxonomy": ("标准指标（{n} 项；来自 {sources}）", "taxonomy ({n} indicators; from {sources})"),
    "ui.aliases": ("别名", "aliases"),
    "ui.rollup": ("合计：{whole} = {parts}", "roll-up: {whole} = {parts}"),
    "ui.match-exact": ("原名", "exact"),
    "ui.match-alias": ("别名", "alias"),
    "ui.match-cleaned": ("清理后一致", "cleaned"),
    "ui.match-context": ("类别内别名", "context"),
    "ui.match-fuzzy": ("近似 {score:.0f}", "fuzzy {score:.0f}"),
    "ui.match-suggestion": ("未识别（可能是 {suggestion} {score:.0f}）",
                            "unmatched (maybe {suggestion} {score:.0f})"),
    "ui.match-unmatched": ("未识别", "unmatched"),
    "ui.match-derived": ("由各部分合计", "derived"),
})

# ---------------------------------------------------------------------- the settings, in words
# (the workbooks name no configuration file: they say which values judged the stations)
TEXTS.update({
    "setting.defaults": ("默认判定设置", "the default judging settings"),
    "setting.own": ("本区判定设置：{changes}；其余为默认", "the district's own settings: {changes}; "
                    "the rest as by default"),
    "setting.changed": ("{what} {value}（默认 {default}）", "{what} {value} (default {default})"),
    "setting.key-indicators": ("总览所列重点指标另行指定", "the key indicators of 总览 chosen apart"),
    "setting.basic-share": ("基本完成线（× 按时间应完成）", "基本完成 line (× expected progress)"),
    "setting.over-multiple": ("超额线（× 按时间应完成）", "超额 line (× expected progress)"),
    "setting.sheet-rate": ("无协议指标量时按表内完成率判断", "the sheet's rate judged without a target"),
    "setting.attendance-basic-share": ("到岗与人员基本达标线（× 要求）",
                                       "attendance and staffing basic line (× requirement)"),
    "setting.actual-vs-expected": ("社工实到率要求", "attendance required"),
    "setting.certified-actual": ("持证社工实到率要求", "certified attendance required"),
    "setting.certified-share": ("持证社工占协议配备要求", "certified share of contract staff required"),
    "setting.staffing": ("平均配备÷协议配备要求", "average ÷ contract staff required"),
    "setting.two-years": ("从业两年以上占协议配备要求", "two years' experience share required"),
    "setting.retention": ("稳岗率要求", "retention rate required"),
    "setting.training": ("继续教育完成率要求", "continuing education required"),
    "setting.supervision": ("每名协议社工督导时数要求", "supervision hours per contract staff"),
    "setting.hours": ("{hours} 小时", "{hours} h"),
    "setting.yes": ("是", "yes"),
    "setting.no": ("否", "no"),
    "setting.taxonomy-packaged": ("标准指标表", "the packaged indicator names"),
    "setting.taxonomy-own": ("标准指标表，另加本区指标别名 {n} 份", "the packaged indicator names "
                             "and {n} file(s) of the district's own"),
})

# ---------------------------------------------------------------------- readers/: doubts about figures
# `what` is the sheet's own label of the figure (入户探访 完成量)
TEXTS.update({
    "note.labelled": ("{what}：{text}", "{what}: {text}"),
    "note.bracketed": ("（{text}）", " ({text})"),
    "not-a-number.unquoted": ("此处应为数字，内容未显示：人员明细可能含姓名，加 --with-names 可显示",
                              "not a number; its text is not shown, as a per-person sheet holds "
                              "names (--with-names shows it)"),
    "uncomputed-formula.cell": ("公式 ={formula} 没有保存计算结果，也无法在此重算{what}：请在Excel或WPS中"
                                "打开并保存",
                                "formula ={formula} has no saved value and cannot be recomputed "
                                "here{what}: open and save the file in Excel or WPS"),
    "note.recomputed": ("{cell}：公式未存结果，已重算 ={formula} → {value}",
                        "{cell}: a formula without a saved value, recomputed ={formula} → {value}"),
    "rate-mismatch.figures": ("{what}：表内完成率 {stated} 与 完成量÷协议指标量 = {completed} ÷ {target} = "
                              "{recomputed} 不符",
                              "{what}: the sheet's rate {stated} differs from completed ÷ target "
                              "= {completed} ÷ {target} = {recomputed}"),
    "unit-mismatch.units": ("{what}：此格单位为“{cell_unit}”，本行单位为“{row_unit}”，请核对",
                            "{what}: this cell's unit is {cell_unit!r}, the row's {row_unit!r}: "
                            "check it"),
    "attendance-split-mismatch.figures": (
        "持证实到 {certified} + 非持证实到 {uncertified} = {both}，与总实到 {total} 不符",
        "certified {certified} + uncertified {uncertified} = {both}, not the total {total}"),
    "attendance-out-of-range.value": ("到岗 {value} 不在0–1之间，每人每月最多为1",
                                      "attendance {value} is outside 0–1 for one person-month"),
    "no-certified-column.unknown": ("人员明细没有“是否持证”列，持证人数未知",
                                    "a per-person sheet without a 是否持证 column: certified "
                                    "numbers unknown"),
    "unread-cells.table": ("{span} 看起来是表格，但未被读取", "{span} looks like a table but was not "
                           "read"),
    "unread-cells.numbers": ("{span} 有 {n} 个数字未被读取（{shown}）",
                             "{span}: {n} number(s) not read into any figure ({shown})"),
    "note.label-beside": ("{label} 的值在右侧的 {cell}", "{label}: its value is in the cell beside "
                          "it, {cell}"),
    "note.label-below": ("{label} 的值在下方的 {cell}", "{label}: its value is in the cell below it, "
                         "{cell}"),
    "config-invalid.pattern": ("{where} 中的正则表达式有误：{detail}", "bad pattern in {where}: "
                               "{detail}"),
    "config-not-found.layout": ("版式文件不存在", "layout file not found"),
    "config-unreadable.layout": ("无法读取版式文件：{detail}", "cannot read the layout file: {detail}"),
    "config-invalid.layout-texts": ("{where} 应为文字列表", "{where} must be a list of texts"),
    "config-invalid.layout-pattern": ("{where} 的正则表达式 “{item}” 有误：{detail}",
                                      "{where}: the pattern {item!r} is wrong: {detail}"),
    "config-invalid.layout-keys": ("{where} 有不认识的键：{keys}", "{where}: unknown keys {keys}"),
    "config-invalid.layout-names": ("{where} 需要 names 或 patterns", "{where} needs names or patterns"),
    "config-invalid.layout-sections": (
        "不能在版式文件中设置：{keys}；只能添加 annex1 / annex2 / annex2_people / wide 的列名、"
        "staffing、meta、rows",
        "a layout file cannot set {keys}; it can only add column names of annex1 / annex2 / "
        "annex2_people / wide, staffing, meta and rows"),
    "config-invalid.layout-table": ("[{section}] 应为表", "[{section}] must be a table"),
    "config-invalid.layout-columns": ("[{section}] 只能有 [[{section}.columns]]",
                                      "[{section}] can only hold [[{section}.columns]]"),
    "config-invalid.layout-entry": ("{section} 第{n}项", "{section} entry {n}"),
    "config-invalid.layout-role": ("{where}：没有这个 role “{role}”，可用：{known}",
                                   "{where}: no role {role!r}; known: {known}"),
    "config-invalid.layout-staffing": ("staffing 应写作 [[staffing]]",
                                       "staffing must be written [[staffing]]"),
    "config-invalid.layout-field": ("{where}：没有这个 field “{field}”，可用：{known}",
                                    "{where}: no field {field!r}; known: {known}"),
    "config-invalid.layout-only": ("[{section}] 只能有 {keys}", "[{section}] can only hold {keys}"),
    "layout-clash.roles": (
        "版式冲突：{what}的 “{ours}”（{our_role}）与 “{theirs}”（{their_role}）冲突：表头“{sample}”会读作 "
        "{got}，而不是 {role}；请改用更完整的写法",
        "layout clash: {what} {ours!r} ({our_role}) and {theirs!r} ({their_role}): the header "
        "{sample!r} would read as {got}, not {role}; write it more fully"),
    "layout-clash.meta": ("版式冲突：“{word}” 同时是{name}（{key}）和{other_name}（{other}）的标签",
                          "layout clash: {word!r} is a label of both {name} ({key}) and "
                          "{other_name} ({other})"),
    "layout-clash.rows": ("版式冲突：{name}（{key}）的 “{text}” 与 {other_name}（{other}）的 “{pattern}” "
                          "都匹配“{hit}”",
                          "layout clash: {text!r} of {name} ({key}) and {pattern!r} of "
                          "{other_name} ({other}) both match {hit!r}"),
    "note.blank": ("空", "blank"),
    "note.read-as": ("{what}：“{written}” 读作 {value}{unit}", "{what}: {written!r} read as {value}{unit}"),
    "ambiguous-figure.several-fitting": ("有 {n} 个单位与本行（{unit}）相符的数字（{shown}），无法确定取哪一个",
                                         "{n} numbers in the row's unit ({unit}): {shown}; which "
                                         "one is meant is not known"),
    "ambiguous-figure.none-fitting": ("没有单位与本行（{unit}）相符的数字（{shown}）",
                                      "no number in the row's unit ({unit}): {shown}"),
    "ambiguous-figure.several": ("有 {n} 个数字（{shown}），无法确定取哪一个",
                                 "{n} numbers ({shown}); which one is meant is not known"),
    "ambiguous-figure.cell": ("{what}：“{written}” {why}，未读取，请在此格只填一个数字",
                              "{what}: {written!r}: {why}; not read — write one number in this "
                              "cell"),
    "upper-bound-target.said": ("{said}，但这是上限（{comparator}），不是要完成的量，不按完成率判断",
                                "{said}, but it is an upper bound ({comparator}), not an amount "
                                "to reach: no completion rate judged"),
    "approximate-figure.said": ("{said}，原文为约数或范围，请核对",
                                "{said}; the sheet gives an approximate figure or a range: check "
                                "it"),
    "compound-cell.unpaired": ("{what}：协议指标量“{written}”含 {n} 项，完成量“{shown}”无法逐项对应，"
                               "此行未读；请每项一行填写",
                               "{what}: the target {written!r} holds {n} items and the completed "
                               "{shown!r} cannot be paired with them; the row is not read — "
                               "write one item a row"),
    "compound-split.parts": ("{what}：协议指标量“{written}”含 {n} 项，已分为 {parts} 各读一行",
                             "{what}: the target {written!r} holds {n} items, read as a row each: "
                             "{parts}"),
    "unnamed-row.station": ("有数字但没有站点名称，此行未读", "figures without a station name; row "
                            "skipped"),
    "total-mismatch.sums": ("{what}：表内合计为 {stated}，各行相加为 {rows}",
                            "{what}: the sheet's total is {stated}, its rows add up to {rows}"),
})

# ---------------------------------------------------------------------- readers/: what was detected
# (the notes `inspect -v` shows, and the facts of a station)
TEXTS.update({
    "fact.station": ("站点", "station"),
    "fact.operator": ("承办机构", "operator"),
    "fact.contract": ("合同期", "contract period"),
    "fact.contract-start": ("合同开始", "contract start"),
    "fact.contract-end": ("合同结束", "contract end"),
    "fact.period-start": ("统计开始", "period start"),
    "fact.cut-off": ("统计截止", "cut-off"),
    "fact.operators": ("承办机构及其期间", "operators and their periods"),
    "fact.from-file-name": ("文件名", "the file name"),
    "fact.from-file-name-month": ("文件名，取所写月份的月末", "the file name, at the end of the month "
                                  "it names"),
    "fact.month-end": ("{where}（只写到月份，取月末）", "{where} (a month: its last day)"),
    "note.fact-from": ("{fact} 来自 {where}", "{fact} from {where}"),
    "note.header-row": ("第{row}行", "header row {row}"),
    "note.header-rows": ("第{first}-{last}行", "header rows {first}-{last}"),
    "note.header": ("{sheet}：表头{rows}；列 {mapping}", "{sheet}: {rows}; columns {mapping}"),
    "note.wide-more": (" 等 {n} 项", " and more: {n} in all"),
    "note.wide-header": ("{sheet}：表头第{first}-{last}行，站点在 {column} 列，每项指标一组列：{names}{more}",
                         "{sheet}: header rows {first}-{last}, stations in column {column}, a "
                         "group of columns per indicator: {names}{more}"),
    "note.month-unplaced": ("{month} 无法判断属于哪个承办机构的期间", "{month}: not placed in a period"),
    "note.month-outside": ("{month} 不在任何承办机构的期间内", "{month}: outside every operator's "
                           "period"),
    "note.month-split": ("{month} 跨两个承办机构的期间，按天数多者计入 {operator}",
                         "{month}: the change of operator falls in this month, counted for "
                         "{operator} (more of its days)"),
    "note.operator-changed": ("承办机构有变更：截至 {cutoff} 由 {operator} 承办（表中先写的是 {stated}）",
                              "a change of operator: at {cutoff} {operator} runs the station "
                              "(the sheet states {stated} first)"),
    "note.operators": ("承办机构及其期间：{periods}", "operators and their periods: {periods}"),
    "note.month-cutoff": ("统计截止只写了 {month}月（{where}），按合同年度取 {cutoff}",
                          "the cut-off names month {month} without its year ({where}): {cutoff} "
                          "in the contract year"),
    "relative-cutoff.unknown": ("统计截止写作“{text}”，不是具体日期，截止日期未知：请在表中写明"
                                "（如“截至2024年12月31日”），或用 --cutoff YYYY-MM-DD 指定",
                                "the cut-off is written {text!r}, not a date: the cut-off is "
                                "unknown — write it in the sheet (截至2024年12月31日) or give "
                                "--cutoff YYYY-MM-DD"),
    "relative-cutoff.file-name": ("统计截止写作“{text}”，不是具体日期；截止日期 {cutoff} 取自文件名"
                                  "（{file}），请核对，或用 --cutoff 指定",
                                  "the cut-off is written {text!r}, not a date; {cutoff} is taken "
                                  "from the file name ({file}): check it, or give --cutoff"),
    "note.kind-annex1": ("附件1 指标完成情况", "附件1 indicators"),
    "note.kind-annex2": ("附件2 每月到岗", "附件2 attendance per month"),
    "note.kind-people": ("附件2 人员到岗明细", "附件2 attendance per person"),
    "note.kind-across": ("附件2 每月到岗，月份横排", "附件2 attendance, months across the columns"),
    "note.several-stations": ("本工作簿含 {n} 个站点（{stations}），此为 {station}：{where}",
                              "the workbook holds {n} stations ({stations}); this is {station}: "
                              "{where}"),
    "note.wide-table": ("区汇总表，每行一个站点：{table}", "the district's wide table, a station a row: "
                        "{table}"),
    "note.wide-row": ("本站数据在 {sheet} 第{row}行", "this station's figures: {sheet} row {row}"),
    "note.column-chosen": ("{what} 有 {n} 列，读取 {column} 列“{label}”，其余为其组成部分（{parts}）",
                           "{what} has {n} columns: column {column} ({label!r}) is read, the "
                           "others are its parts ({parts})"),
    "note.confidence-header": ("表头第{rows}行", "header row(s) {rows}"),
    "note.confidence-rows": ("{n} 行数据", "{n} data rows"),
    "note.confidence-rates": ("{agree}/{n} 行完成率与 完成量÷协议指标量 一致",
                              "{agree}/{n} rates agree with completed ÷ target"),
    "note.confidence-totals": ("{agree}/{n} 个合计行核对无误", "{agree}/{n} totals check"),
    "note.confidence-unreadable": ("{n} 个数字单元格无法读取", "{n} figure cells not read"),
    "note.level-low": ("低", "low"),
    "note.level-medium": ("中", "medium"),
    "note.level-high": ("高", "high"),
    "note.confidence": ("{sheet}：{kind} 可信度 {level}：{reasons}",
                        "{sheet}: {kind}, confidence {level}: {reasons}"),
    "note.staffing-from": ("{what} = {value}，来自 {cell}", "{what} = {value}, from {cell}"),
    "note.given": ("{fact} 由命令行指定：{value}", "{fact} set on the command line: {value}"),
    "note.contract-start-assumed": ("未写合同期，合同开始取统计开始日 {start}",
                                    "no contract period: its start taken as the statistics "
                                    "period's, {start}"),
    "note.contract-end-assumed": ("未写合同结束日，按合同开始后一年计：{end}",
                                  "no contract end: one year after its start, {end}"),
    "note.expected-from-contract": (
        "{file}：人员明细表 {sheet} 没有应到：每月应到 = 协议配备社工 {staff}，持证应到 = 其 {share} 倍",
        "{file}: the per-person sheet {sheet} has no expected figures: each month expects the "
        "contract staff, {staff}, and {share} × that certified"),
    "note.earlier": ("前面", "earlier"),
    "no-annex-table.sheets": ("找不到附件1（指标名称/协议指标量/完成量）或附件2（月份/应到/实到）表格，"
                              "工作表：{sheets}{unread}",
                              "no 附件1 (指标名称/协议指标量/完成量) or 附件2 (月份/应到/实到) table "
                              "found in sheets: {sheets}{unread}"),
    "no-annex-table.unread": ("；未读取的区域：{regions}", "; not read: {regions}"),
    "several-stations.read-apart": ("此工作簿含 {n} 个站点（{stations}），请逐站读取（read_reports / "
                                    "batch），或用 --station 选一个",
                                    "the workbook holds {n} stations ({stations}): read them one "
                                    "by one (read_reports / batch), or choose one with --station"),
    "staffing-stated-twice.sheets": ("{what}：工作表 {sheet} 为 {value}，前面已写 {previous}，取前者",
                                     "{what}: {value} in the sheet {sheet}, {previous} stated "
                                     "before; the first is used"),
    "staffing-stated-twice.here": ("{what}：此处为 {value}，前面已写 {previous}，取前者",
                                   "{what}: {value} here, {previous} stated before; the first is "
                                   "used"),
    "duplicate-column.role": ("有多列可作为 {role}，取第一列",
                              "more than one column reads as {role}: the first is used"),
    "parts-differ-from-total.rows": ("{said}；但第 {rows} 行（共 {n} 行）各部分相加不等于合计，请核对",
                                     "{said}; but in row(s) {rows} the parts do not add up to "
                                     "the total ({n} in all): check them"),
    "column-chosen.agree": ("{said}；{agree}/{agree} 行各部分相加等于合计",
                            "{said}; the parts add up to it in {agree}/{agree} rows"),
    "low-confidence.reasons": ("此表读取可信度低，请核对：{reasons}",
                               "low confidence in this table's reading, check it: {reasons}"),
    "conflicting-facts.files": ("{fact} 此文件为 {theirs}，本站另一文件为 {mine}，取前者",
                                "{fact}: {theirs} in this file, {mine} in another file of the "
                                "station; the first is used"),
    "no-station-name.give": ("标题和文件名中都找不到站点名称，请用 --station 指定",
                             "station name found in neither the title nor the file name: give "
                             "--station"),
    "no-cutoff.give": ("找不到统计截止日期（统计时间/截至…），请用 --cutoff 指定",
                       "cut-off date not found (统计时间/截至…): give --cutoff"),
    "duplicate-month.at": ("{month} 已在 {at} 出现，此处再次出现，只取前者、不相加",
                           "{month} is stated already at {at}: the first is used, never the sum"),
    "duplicate-month.twice": ("{month} 出现两次，只取前者", "{month} is stated twice: the first is "
                              "used"),
    "duplicate-indicator.at": ("{what}：已在 {at} 出现，此处再次出现；两行都保留、不相加，请核对",
                               "{what} is stated already at {at}: both rows are kept, never "
                               "added together — check them"),
    "no-contract-staff.unknown": ("人员明细缺少“协议要求配备社工人数”，应到人数未知",
                                  "per-person attendance without the contract staff number: "
                                  "expected unknown"),
    "contract-days-assumed.months": ("合同期只写到月份（{written}），按 {start} 至 {end} 计；如有具体日期，"
                                     "请用 --contract-start / --contract-end 指定",
                                     "the contract period names months only ({written}): "
                                     "counted {start} to {end}; give --contract-start / "
                                     "--contract-end for the days"),
})

# ---------------------------------------------------------------------- the commands' help
# `help.COMMAND` is a command's help, `help.COMMAND.short` its line in the list of commands,
# `help.OPTION` an option's (shared options once)
TEXTS.update({
    "help.main": (
        "读取社工站报送的工作簿（附件1 指标完成情况、附件2 社工到岗情况），把各站点并排比较，"
        "找出滞后的指标。\n\n"
        "界面语言默认为中文；--lang en（或环境变量 XLCOMPARE_LANG=en、英文系统语言）改用英文。",
        "Read social-work station workbooks (附件1 指标完成情况, 附件2 社工到岗情况), line "
        "stations up and flag lagging indicators.\n\n"
        "Chinese by default; --lang en (or XLCOMPARE_LANG=en, or an English locale) speaks "
        "English."),
    "help.inspect": (
        "显示从站点工作簿中读到的内容：站点、运营机构、合同期、统计截止日期、每项指标、到岗情况，"
        "以及发现的每个问题（文件、工作表、单元格）。\n\n"
        "同一站点、同一截止日期的文件（附件1 与 附件2 分开报送）合并为一份报告。给出文件夹时，"
        "读取其中（含子文件夹）的每个站点工作簿。\n\n"
        "示例：xlcompare inspect sample_workbooks/瑞宝街_2023-2024_中期.xlsx",
        "Show what xlcompare reads from station workbooks: station, operator, contract "
        "period, cut-off, every indicator, attendance, and every problem found with its "
        "file, sheet and cell.\n\n"
        "Files of the same station and cut-off (附件1 and 附件2 sent apart) are read as one "
        "report. A folder stands for every station workbook under it.\n\n"
        "Example: xlcompare inspect sample_workbooks/瑞宝街_2023-2024_中期.xlsx"),
    "help.inspect.short": ("显示从工作簿中读到的内容", "Show what is read from workbooks."),
    "help.diff": (
        "逐项比较两个站点，或同一站点的两个年度。\n\n"
        "文件为两个工作簿，或两个站点的附件文件（分开报送的附件1与附件2按站点和截止日期配对）。"
        "第一个站点为 A，第二个为 B。无论是否有滞后，退出码均为 0。\n\n"
        "示例：xlcompare diff 瑞宝街_2023-2024_中期.xlsx 官洲街_2024-2025_中期.xlsx -o 对比.xlsx",
        "Compare two stations, or two years of one station, indicator by indicator.\n\n"
        "FILES are two workbooks, or the annex files of two stations (附件1 and 附件2 apart "
        "are paired by station and cut-off). The first station is A, the second B. Exit code "
        "0 whatever the flags.\n\n"
        "Example: xlcompare diff 瑞宝街_2023-2024_中期.xlsx 官洲街_2024-2025_中期.xlsx -o diff.xlsx"),
    "help.diff.short": ("逐项比较两个站点或两个年度", "Compare two stations or two years."),
    "help.batch": (
        "把文件夹（含子文件夹）中的每个站点工作簿汇总成一个工作簿。\n\n"
        "工作表：总览、图表、滞后清单、到岗、趋势、评语、数据质量、报送情况、文件、问题。只读取新增或改动的文件，"
        "其余沿用历史记录。退出码：0 全部读取；1 有文件无法读取（汇总照常写出）；2 选项有误；"
        "3 环境问题（磁盘已满、输出或历史记录无法写入等）。\n\n"
        "示例：xlcompare batch 月报/2024-12 -o 2024-12汇总.xlsx",
        "Summarise every station workbook in FOLDER (recursively) into one workbook.\n\n"
        "Sheets: 总览, 图表, 滞后清单, 到岗, 趋势, 评语, 数据质量, 报送情况, 文件, 问题. Only new or changed files are "
        "read; the rest come from the history. Exit code 0 when every workbook was read, 1 "
        "when some could not be (the summary is still written), 2 on bad options, 3 when the "
        "machine is in the way (disk full, output or history not writable).\n\n"
        "Example: xlcompare batch 月报/2024-12 -o 2024-12汇总.xlsx"),
    "help.batch.short": ("把文件夹汇总成一个工作簿", "Summarise a folder into one workbook."),
    "help.watch": (
        "随着工作簿陆续到达，持续更新文件夹的汇总（按 Ctrl-C 停止）。\n\n"
        "每个新文件在完整复制后读取（大小和时间稳定，且没有 Excel/WPS 锁定文件）；"
        "无法读取的文件记录下来并跳过。\n\n"
        "示例：xlcompare watch 共享文件夹/月报 -o 月报汇总.xlsx",
        "Keep the summary of FOLDER up to date as workbooks arrive (Ctrl-C stops).\n\n"
        "Each new file is ingested once it is completely copied (size and time stable, no "
        "Excel/WPS lock file); a file that cannot be read is logged and skipped.\n\n"
        "Example: xlcompare watch 共享文件夹/月报 -o 月报汇总.xlsx"),
    "help.watch.short": ("文件到达时持续更新汇总", "Keep the summary up to date."),
    "help.serve": (
        "在本机打开一个网页，对应一个投放文件夹：拖入工作簿，查看谁滞后，下载汇总。\n\n"
        "文件夹即投放文件夹（默认 ~/xlcompare，没有则新建）；网页与 batch、watch 共用它及其历史记录。"
        "默认在 127.0.0.1 的空闲端口上监听，打印地址并打开浏览器；按 Ctrl-C 停止。\n\n"
        "示例：xlcompare serve 月报/2024-12",
        "A local web page over FOLDER: drop workbooks, see who lags, download the summary.\n\n"
        "FOLDER is the drop folder (default ~/xlcompare, made if missing); the page, `batch` "
        "and `watch` share it and its history. Listens on 127.0.0.1 on a free port, prints "
        "the address and opens the browser; Ctrl-C stops.\n\n"
        "Example: xlcompare serve 月报/2024-12"),
    "help.serve.short": ("本机网页：拖入工作簿、查看汇总", "A local web page over a folder."),
    "help.verify": (
        "把“数据质量”表中的一项标记为已核实（编号见该表第一列）。\n\n"
        "标记记在历史记录里：以后的汇总（重新运行、下个月的文件夹）把它列为已核实，不再列为待核实。\n\n"
        "示例：xlcompare verify 月报/2024-12 Q1A2B3C --note 已电话核实，数字无误",
        "Mark one row of the 数据质量 sheet verified (the 编号 is its first column).\n\n"
        "The mark is kept in the history: later summaries (a rerun, next month's folder) show "
        "the flag as verified instead of to be checked.\n\n"
        "Example: xlcompare verify 月报/2024-12 Q1A2B3C --note 已电话核实，数字无误"),
    "help.verify.short": ("把数据质量表中的一项标为已核实", "Mark a 数据质量 flag verified."),
    "help.note": ("核实结果，如：已电话核实，数字无误。", "What was found out, e.g. 已电话核实，数字无误."),
    "help.verify-db": ("历史记录的位置（默认与 batch 相同）。", "The history (by default as batch finds "
                       "it)."),
    "help.stale-lock": ("锁文件（~$报表.xlsx）超过这么多分钟未更新，视为遗留，不再等待它锁的工作簿。",
                        "Minutes after which an untouched lock file (~$报表.xlsx) is taken as left "
                        "behind, and its workbook no longer waited for."),
    "help.indicators": (
        "列出标准指标、别名和合并关系。\n\n示例：xlcompare indicators --taxonomy 本区指标.toml",
        "List the canonical indicators, their aliases and roll-ups.\n\n"
        "Example: xlcompare indicators --taxonomy my-district.toml"),
    "help.indicators.short": ("列出标准指标及别名", "List the canonical indicators."),
    # options
    "help.help": ("显示此帮助并退出。", "Show this message and exit."),
    "help.version": ("显示版本并退出。", "Show the version and exit."),
    "help.lang": ("界面语言：zh 中文（默认）或 en 英文；不给时按 XLCOMPARE_LANG 或系统语言。",
                  "The language spoken: zh Chinese (the default) or en English; without it, "
                  "XLCOMPARE_LANG or the locale decides."),
    "help.station": ("站点（街道）名称，表头没有写明时使用。",
                     "Station (street) name, when the title does not say it."),
    "help.cutoff": ("统计截止日期，代替表中所写（2024-03-31、2024年3月31日、2024/3/31 均可）。",
                    "Cut-off date, overriding the sheet (2024-03-31, 2024年3月31日, 2024/3/31)."),
    "help.contract-start": ("合同开始日期。", "Contract start date."),
    "help.contract-end": ("合同结束日期。", "Contract end date."),
    "help.taxonomy": (
        "另加的指标名称和别名（TOML 文件，格式同 xlcompare/data/taxonomy.toml）；"
        "工作簿旁的 xlcompare-taxonomy.toml 也会读取。",
        "Extra indicator names/aliases (TOML, the schema of xlcompare/data/taxonomy.toml). "
        "An xlcompare-taxonomy.toml beside the workbooks is read too."),
    "help.layout": (
        "另加的表头同义词、说明行标签和行类型（TOML 文件，格式同 xlcompare/data/layout.toml）；"
        "工作簿旁的 xlcompare-layout.toml 也会读取。",
        "Extra header synonyms, meta labels and row kinds (TOML, the schema of "
        "xlcompare/data/layout.toml). An xlcompare-layout.toml beside the workbooks is read "
        "too."),
    "help.station-a": ("站点 A：文件中不止两个站点时（区里的汇总表）指定。",
                       "A 站点: when the files hold more than two (a district's table)."),
    "help.station-b": ("站点 B：文件中不止两个站点时（区里的汇总表）指定。",
                       "B 站点: when the files hold more than two (a district's table)."),
    "help.host": ("监听的地址。本机（127.0.0.1、localhost、::1）以外的地址须同时给出 --token。",
                  "Address to listen on. Anything but this machine (127.0.0.1, localhost, "
                  "::1) needs --token."),
    "help.port": ("端口（默认取一个空闲端口）。", "Port (default: a free one)."),
    "help.token": ("访问令牌（至少16个字符），监听本机以外的地址时必须给出，会印在地址中；"
                   "也可用环境变量 XLCOMPARE_TOKEN。",
                   "Access token (16+ characters), required off loopback; printed in the "
                   "address. Also from $XLCOMPARE_TOKEN."),
    "help.allow-host": ("其他电脑访问本机所用的另一个名称或地址（可重复；配合 --host 0.0.0.0）。",
                        "Another name or address other computers use to reach this one "
                        "(repeatable; with --host 0.0.0.0)."),
    "help.no-browser": ("不在浏览器中打开网页。", "Do not open the page in a browser."),
    "help.inspect.json": ("输出 JSON（每个站点一个对象）。", "Print JSON (one object per station)."),
    "help.with-names": ("同时按姓名显示按人员填报的附件2中的每位社工（默认不显示）。",
                        "Also show each worker of a per-person 附件2 by name (hidden by "
                        "default)."),
    "help.verbose": ("同时显示识别过程（表头行、各列含义、每个日期在何处找到）和提示信息。",
                     "Also show what was detected (header rows, column mapping, where each "
                     "date was found) and informational notes."),
    "help.output": ("要写入的汇总工作簿（.xlsx）。", "The summary workbook to write (.xlsx)."),
    "help.db": ("历史数据库（默认 文件夹/.xlcompare/history.sqlite）。",
                "History database (default FOLDER/.xlcompare/history.sqlite)."),
    "help.settings": ("本区自定的判定阈值（TOML 设置文件，格式同 xlcompare/data/judge.toml）。",
                      "The district's own thresholds (a TOML settings file, the schema of "
                      "xlcompare/data/judge.toml)."),
    "help.basic-share": ("基本完成线：按时间应达进度的比例（默认 0.7，即70%）。",
                         "The 基本完成 line as a share of expected progress (default 0.7)."),
    "help.over-multiple": ("超额线：按时间应达进度的倍数（默认 2）。",
                           "超额 from this multiple of expected progress (default 2)."),
    "help.diff.output": ("把对比工作簿写到此处（对比、到岗、图表、说明）。",
                         "Write the comparison workbook here (对比, 到岗, 图表, 说明)."),
    "help.roster": ("站点名单（含“站点”列的工作簿或 CSV）：应报送的站点；默认为文件夹中的 站点名单.xlsx。",
                    "站点名单 (a workbook or CSV with a 站点 column): who must report; default: "
                    "站点名单.xlsx in FOLDER."),
    "help.no-history": ("读取每个文件，不记录任何历史。", "Read every file; record nothing."),
    "help.jobs": ("并行读取新文件的进程数（默认最多 4 个）。",
                  "Processes reading new files in parallel (default: up to 4)."),
    "help.quiet": ("不显示进度条和站点表。", "No progress bar or station table."),
    "help.debounce": ("最后一次改动后静候多少秒再重建汇总。",
                      "Seconds of quiet after the last change before rebuilding."),
    "help.settle": ("文件大小和时间须保持不变多少秒，才算复制完成。",
                    "Seconds a file's size and time must stay unchanged to count as complete."),
    "help.indicators.json": ("以 JSON 输出指标表。", "Print the taxonomy as JSON."),
    # what stands for a value in a usage line
    "metavar.files": ("文件...", "FILES..."),
    "metavar.folder": ("文件夹", "FOLDER"),
    "metavar.folder-optional": ("[文件夹]", "[FOLDER]"),
    "metavar.station": ("站点", "STATION"),
    "metavar.ident": ("编号", "ID"),
    "metavar.text": ("文字", "TEXT"),
    "metavar.minutes": ("分钟", "MINUTES"),
    "metavar.host": ("地址", "HOST"),
    "metavar.port": ("端口", "PORT"),
    "metavar.token": ("令牌", "TOKEN"),
    "metavar.file": ("文件", "FILE"),
    "metavar.name": ("名称", "NAME"),
    "metavar.date": ("日期", "DATE"),
    "metavar.share": ("比例", "SHARE"),
    "metavar.multiple": ("倍数", "MULTIPLE"),
    "metavar.seconds": ("秒数", "SECONDS"),
    "metavar.count": ("个数", "N"),
    "metavar.lang": ("[zh|en]", "[zh|en]"),
    "metavar.options": ("[选项]", "[OPTIONS]"),
    "metavar.command": ("命令 [参数]...", "COMMAND [ARGS]..."),
})

# ---------------------------------------------------------------------- click's own words
# click marks its messages for gettext (`_("Usage:")`); these are its msgids, in Chinese.
# tests/test_language.py checks each is still a msgid of the installed click.
CLICK: dict[str, str] = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示此帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想用其中之一：{possibilities}？）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Missing command.": "缺少命令。",
    "Aborted!": "已中止！",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a file.": "{name}“{filename}”是文件。",
    "{name} {filename!r} is a directory.": "{name}“{filename}”是文件夹。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”无法读取。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”无法写入。",
    "{name} {filename!r} is not executable.": "{name}“{filename}”无法执行。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "{value!r} is not {choice}.": "“{value}”不是 {choice}。",
    "{value!r} is not one of {choices}.": "“{value}”不是 {choices} 之一。",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "“{value}”不是有效的是/否值，可用：{states}",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "unknown error": "未知错误",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "Value must be an iterable.": "值必须是一组值。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
}
