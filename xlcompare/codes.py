"""Every stable code a Problem, a refusal or an error carries, with what it means.

A code is kebab-case English and never changes once released: sheets are filtered by it,
tests assert it, translations key on it (as frictionless-py's errors have a `type`). The
message beside it says the same to people, with the figures and cells of the case. A new
code is added here first; tests/test_codes.py checks that every code the package uses is
listed here and every one listed here is used.

Plain values: this module imports nothing.
"""

from __future__ import annotations

__all__ = ["ALL_CODES", "ERROR_CODES", "FILE_CODES", "PROBLEM_CODES", "QUALITY_CODES", "REFUSAL_CODES"]

# code → (中文, English): one line each

# Problem.code: doubts found while reading a workbook, each with its file, sheet and cell
PROBLEM_CODES: dict[str, tuple[str, str]] = {
    # figures that do not add up
    "rate-mismatch": ("表内完成率与 完成量÷协议指标量 不符",
                      "the sheet's rate differs from completed ÷ target"),
    "total-mismatch": ("表内合计与各行相加不符", "a stated total differs from its rows"),
    "attendance-split-mismatch": ("持证实到 + 非持证实到 与总实到不符",
                                  "certified + uncertified attendance ≠ total"),
    "attendance-out-of-range": ("个人每月到岗不在0–1之间",
                                "one person-month of attendance is outside 0–1"),
    # cells that are not figures
    "not-a-number": ("此处应为数字，却是文字", "text where a number belongs"),
    "not-finite": ("不是有限数值（NaN、无穷大）", "not a finite number (NaN, infinity)"),
    "date-not-number": ("此处应为数字，却是日期", "a date where a number belongs"),
    "error-value": ("单元格为错误值（#DIV/0! 等）", "an error value (#DIV/0! …)"),
    "uncomputed-formula": ("公式没有保存计算结果，也无法在此重算",
                           "a formula without a saved value that cannot be recomputed here"),
    "saved-zero-formula": ("公式保存值为0，已按公式重算",
                           "formulas saved as 0 recompute to another number, which is used"),
    "saved-zero-doubtful": ("公式保存值为0，可能不是真实结果",
                            "formulas saved as 0 in a file asking to be recalculated"),
    # what a row or table lacks
    "no-target": ("无协议指标量，未计算完成率", "no annual target: no completion rate"),
    "zero-target": ("协议指标量为0，未计算完成率", "the annual target is 0: no completion rate"),
    "blank-completed": ("完成量为空", "completed is blank"),
    "unnamed-row": ("有数字但没有指标名称，此行未读", "figures without an indicator name"),
    "empty-annex1": ("附件1表头下没有指标行", "an 附件1 header with no indicator rows"),
    "duplicate-column": ("有多列可作为同一列，取第一列",
                         "more than one column reads as the same role"),
    "no-certified-column": ("人员明细没有“是否持证”列", "a per-person sheet without 是否持证"),
    "no-contract-staff": ("人员明细缺少协议要求配备社工人数，应到未知",
                          "per-person attendance without the contract staff number"),
    "staffing-stated-twice": ("人员配置数字写了两次且不同，取前者",
                              "a staffing figure stated twice, differently"),
    # facts of the station
    "no-station-name": ("找不到站点名称", "station name not found"),
    "no-cutoff": ("找不到统计截止日期", "cut-off date not found"),
    "conflicting-facts": ("本站两个文件所写不同，取前者",
                          "two files of the station state a fact differently"),
    # the sheet itself
    "stray-cells": ("表格外远处有内容，未读取", "stray cells far outside the table, not read"),
    "cell-past-grid": ("单元格位置超出Excel表格范围（1048576行、XFD列），未读取",
                       "cells at no place on Excel's grid (past row 1048576 or column XFD), "
                       "not read"),
    "sheet-unreadable": ("工作表无法读取（内容缺失或已损坏），其余工作表照常读取",
                         "a sheet whose part is missing or damaged; the other sheets read"),
    "text-cut": ("单元格文字过长，已截断", "text over Excel's cell limit, cut"),
    "hidden-sheet": ("隐藏工作表，已一并读取", "a hidden sheet, read like the others"),
    "column-chosen": ("几列都可作为同一项，按合计列读取，并核对各部分", "several columns read as one role: the total column is read, its parts checked"),
    "parts-differ-from-total": ("各部分相加不等于合计列", "the parts do not add up to their total column"),
    "duplicate-indicator": ("同一指标在一份报表中出现两次，两行都保留、不相加",
                            "an indicator stated twice in one report: both kept, never summed"),
    "duplicate-month": ("同一月份出现两次，只取一次", "a month stated twice in one report: counted once"),
    "low-confidence": ("此表读取可信度低：表内完成率、合计或数字大多对不上", "a table whose own rates, totals or figures mostly disagree with its reading"),
    "unread-cells": ("有数字或表格区域未被读取", "numbers, or a block shaped like a table, that were not read"),
    # figures and facts written as words (issue 14)
    "ambiguous-figure": ("文字中没有唯一一个单位相符的数字，未读取",
                         "a cell's words hold no single figure with a fitting unit: not read"),
    "approximate-figure": ("数字为约数或范围，请核对", "an approximate figure (约, 左右, 以上)"),
    "upper-bound-target": ("指标为上限（≤），不按完成率判断",
                           "a target that is a ceiling (≤): not judged by completion rate"),
    "unit-mismatch": ("此格单位与本行单位不同", "a cell's unit differs from its row's"),
    "compound-cell": ("一格含多项指标，无法与完成量逐项对应，此行未读",
                      "a cell with several measures that cannot be paired with the completion"),
    "compound-split": ("一格含多项指标，已分为每项一行", "a cell with several measures, split into one row each"),
    "relative-cutoff": ("统计截止写作“截至目前”等说法，不是日期",
                        "the cut-off is written as \"now\" (截至目前), not a date"),
    "contract-days-assumed": ("合同期只写到月份，起止日已推定",
                              "the contract period names months only: its days were assumed"),
}

# ReadError.code: why a file cannot be read (its `kind` says whether to try again later)
REFUSAL_CODES: dict[str, tuple[str, str]] = {
    # not there, not yet, not ours to open
    "file-not-found": ("文件不存在", "file not found"),
    "not-a-folder": ("不是文件夹", "not a folder"),
    "is-folder": ("是文件夹，不是工作簿", "a folder, not a workbook"),
    "special-file": ("不是普通文件（管道、套接字或设备），未打开",
                     "a pipe, socket or device: never opened"),
    "file-locked": ("文件被占用或无权限", "open in another program, or no permission"),
    "io-error": ("无法读取文件", "the file cannot be read from disk"),
    "empty-file": ("空文件（0字节），可能仍在复制", "empty file (0 bytes): still being copied?"),
    "zero-filled": ("文件内容全为0，可能仍在复制", "only zero bytes: still being copied?"),
    "truncated": ("文件不完整，可能仍在复制或下载中断", "the file ends early"),
    "corrupt": ("文件已损坏", "the file is damaged"),
    "duplicate-part": ("文件内部件重复，已损坏", "a part appears twice inside the file"),
    "unreadable": ("文件无法读取（未预见的结构）", "unreadable in a way no check foresaw"),
    "password-protected": ("文件有密码，请另存为无密码副本", "password-protected"),
    # not a workbook
    "pdf-document": ("这是PDF文件，请索取Excel原表", "a PDF document"),
    "image-file": ("这是图片，请索取Excel原表", "an image"),
    "archive": ("这是压缩包，请先解压", "an archive (zip, RAR, 7-Zip, gzip)"),
    "word-document": ("这是Word文档，不是工作簿", "a Word document"),
    "powerpoint": ("这是PPT文件，不是工作簿", "a PowerPoint file"),
    "text-document": ("这是文本文档，不是工作簿", "an RTF text document"),
    "odf-not-spreadsheet": ("OpenDocument文件，但不是电子表格",
                            "an OpenDocument file that is not a spreadsheet"),
    "office-no-workbook": ("Office文件中没有工作簿", "an Office container without a workbook"),
    "no-table": ("网页或XML中没有表格", "a web page or XML file without a table"),
    "no-worksheets": ("Excel 2003 XML 中没有工作表", "an Excel 2003 XML file without worksheets"),
    "old-excel": ("旧版Excel文件（1995年前），请另存为.xlsx", "an Excel 2.x–4.x file"),
    "unknown-format": ("未知格式，请另存为.xlsx", "not a workbook in any known format"),
    "unknown-encoding": ("无法识别的文本编码", "text in no known encoding"),
    "unsupported-compression": ("文件使用不支持的压缩方式",
                                "a zip part compressed with an unsupported method"),
    "isolation-forbidden": ("只能在独立进程中读取，而设置不允许",
                            "needs a separate process, which [limits] isolate forbids"),
    # too large
    "file-too-large": ("文件过大", "the file is larger than the limit"),
    "sheet-too-large": ("表格过大", "a sheet spans more cells than the limit"),
    "too-many-cells": ("有值的单元格过多", "more cells with values than the limit"),
    "too-many-parts": ("压缩包内部件过多", "more zip parts than the limit"),
    "unpacked-too-large": ("解压后过大", "larger than the limit once unpacked"),
    "far-cells": ("表格外远处有内容，文件过大", "a cell far outside the table makes it too big"),
    "out-of-memory": ("内存不足，无法读取", "not enough memory to read it"),
    "read-timeout": ("读取超时", "reading took longer than the limit"),
    "resource-limit": ("读取超出内存或时间限制", "the reader ran out of memory or time"),
    "reader-crashed": ("读取进程意外终止，文件可能已损坏",
                       "the reading process died on this file (a signal): likely damaged"),
    # unsafe
    "zip-bomb": ("疑似压缩炸弹，已拒绝", "a zip bomb"),
    "entity-declaration": ("文件含可疑XML声明（DTD/实体），已拒绝",
                           "XML that declares a DTD or entities"),
    "unsafe-content": ("文件结构可疑，已拒绝", "shaped to harm the reader"),
    # ours
    "own-output": ("xlcompare 生成的文件", "a workbook xlcompare wrote"),
}

# the other errors: a workbook without tables, settings, outputs, the history
ERROR_CODES: dict[str, tuple[str, str]] = {
    "flag-not-found": ("数据质量表中没有此编号", "no such flag in the 数据质量 sheet"),
    "flag-note-missing": ("标记已核实须写明核实结果", "a 已核实 mark needs a note"),
    "no-annex-table": ("找不到附件1或附件2表格", "no 附件1 or 附件2 table found"),
    "no-roster-column": ("站点名单中找不到“站点”列", "no 站点 column in the roster"),
    "several-stations": ("此工作簿含多个站点，须逐站读取或指定站点",
                         "the workbook holds several stations: read them all, or name one"),
    "config-invalid": ("设置或指标文件有误", "a settings or taxonomy file is malformed"),
    "config-not-found": ("找不到设置或指标文件", "a settings or taxonomy file is missing"),
    "config-unreadable": ("无法读取设置或指标文件", "a settings or taxonomy file cannot be read"),
    "layout-clash": ("版式文件中的同义词与另一个冲突", "a synonym in a layout file clashes with another"),
    "output-folder-missing": ("输出文件夹不存在", "the output folder does not exist"),
    "output-locked": ("输出文件被其他程序打开", "the output is open in another program"),
    "history-locked": ("另一个 xlcompare 正在处理此文件夹", "another run is using the history"),
    "history-unreadable": ("无法打开历史数据库", "the history database cannot be opened"),
    "history-too-new": ("历史数据库版本比本程序新", "the history is newer than this xlcompare"),
    "history-symlink": ("历史数据库或其文件夹是符号链接，不跟随",
                        "the history or its state folder is a symbolic link: never followed"),
    "history-corrupt": ("历史数据库已损坏，已移到一旁", "the history is damaged (moved aside)"),
    "history-rebuilt": ("历史数据库已损坏，已移到一旁并新建",
                        "a damaged history was moved aside and a new one started"),
    "history-foreign": ("不是 xlcompare 的历史数据库，未改动",
                        "a database that is not an xlcompare history: left alone"),
    "history-unwritable": ("无法写入历史数据库或其文件夹", "the history cannot be written"),
    "history-lock-taken-over": ("持锁的运行已不存在，已接管其锁",
                                "the lock of a run that is gone was taken over"),
    "disk-full": ("磁盘已满", "no space left on the disk"),
    "output-unwritable": ("无法写入输出文件夹", "the output folder cannot be written"),
    "io-failure": ("读写磁盘出错", "an input/output error of the machine"),
    "internal-error": ("程序内部错误（缺陷），请报告", "an error no one foresaw (a bug)"),
    "no-station-workbook": ("文件夹中没有站点报表，未写入汇总",
                            "no station workbook in the folder: no summary written"),
    "stale-lock": ("锁文件已很久未更新，视为遗留，不再等待",
                   "a lock file left for long (Excel crashed?): no longer waited for"),
    # the local web page (xlcompare serve): starting it
    "serve-needs-token": ("监听本机以外的地址时必须设置访问令牌（至少16个字符）",
                          "a --host other than loopback needs a --token of 16 characters or more"),
    "web-not-installed": ("网页组件未安装：pip install 'xlcompare[web]'",
                          "the web extra is not installed"),
    "port-in-use": ("端口已被占用，请换一个 --port 或不指定", "the port is taken by another program"),
    # requests the page refuses
    "host-not-allowed": ("请求的主机名不在允许列表中（防止DNS重绑定）",
                         "a Host header not on the allow-list (DNS rebinding)"),
    "foreign-origin": ("来自其他网站的修改请求，已拒绝", "a state-changing request from another origin"),
    "csrf-token-missing": ("缺少或错误的页面令牌（CSRF），已拒绝", "a missing or wrong CSRF token"),
    "access-token-required": ("需要访问令牌（启动时打印的网址中带有）",
                              "the access token is missing or wrong"),
    "request-too-large": ("上传内容总量超过限制", "the request body is over the limit"),
    "too-many-files": ("一次上传的文件数超过限制", "more files in one upload than the limit"),
    "no-files-sent": ("没有收到文件（表单字段 file）", "no file in the request (multipart field file)"),
    "path-in-file-name": ("文件名含有路径（/、\\ 或 ..），未保存：只接受文件名本身",
                          "a file name with a folder in it: not saved"),
    "bad-file-name": ("文件名含有不允许的字符或形式，未保存",
                      "a file name with characters or a form not allowed: not saved"),
    "not-a-workbook-name": ("按文件名不是工作簿或 .zip 压缩包，未保存",
                            "not a workbook or a .zip by its name: not saved"),
    "upload-too-large": ("文件超过大小限制，未保存", "a file over the size limit: not saved"),
    "protected-path": ("不能写入或移除历史数据库及其文件夹", "the history and its folder are never written here"),
    "same-file-there": ("文件夹中已有内容相同的文件，未重复保存",
                        "a file of the same content is already in the folder: not saved again"),
    "station-not-found": ("文件夹中没有该站点（及截止日期）的报表", "no report of that station in the folder"),
    "file-not-listed": ("文件不在本文件夹的清单中", "not a file of this folder's list"),
    "summary-not-ready": ("汇总尚未生成（正在读取或读取失败）", "no summary yet (reading, or it failed)"),
}

# what the batch makes of a file beside errors (the 文件 sheet's 代码)
FILE_CODES: dict[str, tuple[str, str]] = {
    "lock-file": ("Excel/WPS 锁定或临时文件", "a lock or temporary file"),
    "not-a-spreadsheet": ("非表格文件", "not a spreadsheet by its name"),
    "hidden-file": ("隐藏文件", "a hidden file"),
    "roster": ("站点名单，用于报送情况", "the station roster, for who must report"),
    "superseded": ("已被同站点同截止日期的较新文件取代", "superseded by a newer file"),
    "earlier-report": ("同一站点有统计截止更晚的报表，此报表只用于趋势",
                       "a station's earlier report beside a later one: used for 趋势 only"),
    "open-in-excel": ("正在 Excel/WPS 中打开（旁边有 ~$ 锁文件），关闭后再读",
                      "open in Excel/WPS (a ~$ lock file beside it): read once it is closed"),
    "link-outside": ("链接指向文件夹之外，未读取", "a link to a file outside the folder: not read"),
    "link-loop": ("符号链接循环，未读取", "a symbolic link loop"),
    "broken-link": ("链接指向的文件不存在", "a symbolic link to nothing"),
    "linked-folder": ("指向文件夹的链接，未进入", "a link to a folder: not followed"),
    "unexpected-error": ("读取时出现意外错误（程序缺陷）", "an unexpected error (a bug)"),
}

# what the 数据质量 sheet asks a station to check (请核实), beside its problems
QUALITY_CODES: dict[str, tuple[str, str]] = {
    "rule-violated": ("报表数字违反校验规则，请核实", "the report's figures break a validation rule"),
    "cumulative-fell": ("累计完成数比上一份报表少", "a cumulative figure fell since the previous report"),
    "target-changed": ("年度指标与上一份报表不同", "the annual target differs from the previous report's"),
    "district-outlier": ("完成率远离本区同月其他站点", "a rate far outside the district's in the same month"),
    "unusual-increase": ("本月增量远超本站通常水平", "a monthly increase far outside the station's own"),
}

ALL_CODES: dict[str, tuple[str, str]] = {
    **PROBLEM_CODES, **REFUSAL_CODES, **ERROR_CODES, **FILE_CODES, **QUALITY_CODES}
assert len(ALL_CODES) == (len(PROBLEM_CODES) + len(REFUSAL_CODES) + len(ERROR_CODES)
                          + len(FILE_CODES) + len(QUALITY_CODES)), "a code is listed twice"

