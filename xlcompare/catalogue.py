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
    "cli.diff-two": (
        "diff 需要恰好两个站点（或同一站点的两个截止日期）；这些文件中有 {count} 个：{found}",
        "diff needs exactly two stations (or two cut-offs of one); these files hold "
        "{count}: {found}"),
    "cli.none": ("（无）", "none"),
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
        "输出文件夹 {folder} 不存在：请先建好它，或用 -o 另选位置",
        "the output folder {folder} does not exist: create it, or choose another place with -o"),

    # ------------------------------------------------------------------ the batch's files
    "batch.still-copying": ("可能仍在复制中：{text}", "still being copied?: {text}"),
    "batch.unchanged": ("未改动，沿用上次读取结果", "unchanged since the last run"),
    "batch.unreadable": ("无法读取", "could not be read"),
    "superseded.by": ("与较新的 {newer} 站点和统计截止日期相同，以较新文件为准",
                      "the same station and cut-off as the newer {newer}, which is used"),
    "unexpected-error.detail": ("读取时出现意外错误（程序缺陷）：{kind}：{text}",
                                "unexpected {kind}: {text}"),

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
        "工作表：总览、图表、滞后清单、到岗、趋势、评语、文件、问题。只读取新增或改动的文件，"
        "其余沿用历史记录。退出码：0 全部读取；1 有文件无法读取（汇总照常写出）；2 选项有误；"
        "3 环境问题（磁盘已满、输出或历史记录无法写入等）。\n\n"
        "示例：xlcompare batch 月报/2024-12 -o 2024-12汇总.xlsx",
        "Summarise every station workbook in FOLDER (recursively) into one workbook.\n\n"
        "Sheets: 总览, 图表, 滞后清单, 到岗, 趋势, 评语, 文件, 问题. Only new or changed files are "
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
