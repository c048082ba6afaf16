"""What effviz refuses, worded from effviz.problems' codes and values (shared by every page). The English
sentences are effviz.problems.MESSAGES word for word (tested)."""

EN = {
    "problem.and": " and ",
    "problem.integer": "{name} must be an integer, got {value}",
    "problem.positive": "{name} must be a positive integer, got {value}",
    "problem.range": "{name} must be {low}..{high}, got {value}",
    "problem.at_least": "{name} must be >= {low}, got {value}",
    "problem.odd_kernel": "{name} must be odd (1, 3, 5, 7, ...) so that 'same' padding keeps the size, got {value}",
    "problem.choice": "{name} must be one of {allowed}; got {value}",
    "problem.divides": "{name}={value} must divide {channels}; valid {name}: {valid}",
    "problem.expansion": "expansion must be a number from 1 to 16, got {value}",
    "problem.se_ratio": "se_ratio must be 0 (no SE) or a fraction up to 1, got {value}",
    "problem.even_branches": "c_out must be even (two equal branches), got {c_out}",
    "problem.split_equal": "c_out must equal c_in={c_in} for a stride-1 unit (channel split), got {c_out}",
    "problem.add_equal": "c_out must equal c_in={c_in} for a stride-1 unit (residual add), got {c_out}",
    "problem.concat_wider": "c_out must exceed c_in={c_in} for a stride-2 unit (concat shortcut), got {c_out}",
    "problem.bottleneck_min": "c_out must be at least 4 (bottleneck = c_out / 4), got {c_out}",
}

ZH = {
    "problem.and": " 和 ",
    "problem.integer": "{name} 必须是整数，当前为 {value}",
    "problem.positive": "{name} 必须是正整数，当前为 {value}",
    "problem.range": "{name} 必须在 {low}..{high} 之间，当前为 {value}",
    "problem.at_least": "{name} 必须 ≥ {low}，当前为 {value}",
    "problem.odd_kernel": "{name} 必须是奇数（1、3、5、7……），这样 same 填充才能保持尺寸不变，当前为 {value}",
    "problem.choice": "{name} 必须是 {allowed} 之一，当前为 {value}",
    "problem.divides": "{name}={value} 必须整除 {channels}；可用的 {name}：{valid}",
    "problem.expansion": "expansion 必须是 1 到 16 之间的数，当前为 {value}",
    "problem.se_ratio": "se_ratio 必须为 0（不用 SE）或不超过 1 的比例，当前为 {value}",
    "problem.even_branches": "c_out 必须是偶数（两个分支一样宽），当前为 {c_out}",
    "problem.split_equal": "步长为 1 的单元（通道拆分）要求 c_out 等于 c_in={c_in}，当前为 {c_out}",
    "problem.add_equal": "步长为 1 的单元（残差相加）要求 c_out 等于 c_in={c_in}，当前为 {c_out}",
    "problem.concat_wider": "步长为 2 的单元（拼接捷径）要求 c_out 大于 c_in={c_in}，当前为 {c_out}",
    "problem.bottleneck_min": "c_out 至少为 4（瓶颈宽度 = c_out / 4），当前为 {c_out}",
}
