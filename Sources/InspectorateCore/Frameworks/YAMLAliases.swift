/// Finds YAML anchors (`&name`) and aliases (`*name`) in a document without parsing it, so
/// that a document built to expand ("billion laughs") is refused in time linear in its size.
///
/// An anchor or alias stands where a node starts: at the start of a line's content, after
/// `key:` or a list's `-`, after a tag, or after `[`, `{` or `,` in flow style. Text inside
/// quotes, comments and block scalars (`|`, `>`) is skipped, and `&` or `*` in the middle of
/// plain text ("R&D", "a *b*") is not a node's start, so prose is not mistaken for either.
enum YAMLAliases {
    /// The 1-based line of the first anchor or alias, or nil.
    static func firstLine(in text: String) -> Int? {
        // The indentation of the line that opened a block scalar: deeper lines are its text.
        var blockParent: Int? = nil
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let bytes = Array(line.utf8)
            let indent = bytes.prefix { $0 == 0x20 }.count
            let blank = bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if let parent = blockParent {
                if blank || indent > parent { continue }
                blockParent = nil
            }
            if startsNodeWithAnchorOrAlias(bytes) { return index + 1 }
            if opensBlockScalar(bytes) { blockParent = indent }
        }
        return nil
    }

    /// Whether the line's value is `|` or `>` (with optional chomping and indentation
    /// indicators, and a comment), so the lines below are literal text.
    private static func opensBlockScalar(_ line: [UInt8]) -> Bool {
        var text = String(decoding: line, as: UTF8.self)
        if let comment = text.range(of: " #") { text = String(text[..<comment.lowerBound]) }
        let trimmed = text.trimmingTrailingSpace()
        guard let last = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).last, let first = last.first,
            first == "|" || first == ">"
        else { return false }
        return last.dropFirst().allSatisfy { $0 == "+" || $0 == "-" || $0.isNumber }
    }

    private static func startsNodeWithAnchorOrAlias(_ line: [UInt8]) -> Bool {
        var quote: UInt8? = nil
        // Whether the next non-space character would start a node.
        var atNodeStart = true
        var previous: UInt8 = 0x20
        var index = 0
        while index < line.count {
            let byte = line[index]
            defer { previous = byte; index += 1 }
            if let open = quote {
                if byte == open {
                    // '' inside single quotes is an escaped quote, not the end.
                    if open == 0x27, index + 1 < line.count, line[index + 1] == 0x27 { index += 1; continue }
                    if open == 0x22, previous == 0x5C { continue }
                    quote = nil
                }
                continue
            }
            switch byte {
            case 0x20, 0x09:  // space, tab: a node may still start after them
                continue
            case 0x23 where previous == 0x20 || previous == 0x09 || index == 0:  // comment
                return false
            case 0x22, 0x27:  // quotes
                quote = byte
                atNodeStart = false
            case 0x26, 0x2A:  // & *
                if atNodeStart, index + 1 < line.count, isNameByte(line[index + 1]) { return true }
                atNodeStart = false
            case 0x21 where atNodeStart:  // a tag (!!str): the node's anchor may follow it
                while index + 1 < line.count, line[index + 1] != 0x20 { index += 1 }
            case 0x5B, 0x7B, 0x2C:  // [ { ,
                atNodeStart = true
            case 0x3A where index + 1 == line.count || line[index + 1] == 0x20 || line[index + 1] == 0x09:  // "key: "
                atNodeStart = true
            case 0x2D where atNodeStart && (index + 1 == line.count || line[index + 1] == 0x20):  // "- "
                atNodeStart = true
            default:
                atNodeStart = false
            }
        }
        return false
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        !(byte == 0x20 || byte == 0x09 || byte == 0x2C || byte == 0x5B || byte == 0x5D || byte == 0x7B || byte == 0x7D)
    }
}

extension String {
    fileprivate func trimmingTrailingSpace() -> Substring {
        var end = endIndex
        while end > startIndex, let previous = self[..<end].last, previous == " " || previous == "\t" || previous == "\r" {
            end = index(before: end)
        }
        return self[..<end]
    }
}
