import Foundation

extension ReportingPeriod {
    /// Reads a period exactly as `description` writes it: `2009-04` (month), `2009-Q2`
    /// (calendar quarter, capital Q) or `2009/10` (financial year, the second year as its
    /// last two digits and the year after the first). Spaces around it are ignored; any other
    /// spelling (`2009-4`, `Q2 2009`, `2009/2010`, `2009-10-01`) is refused, not guessed.
    /// - Throws: `FieldError` on `field` saying which shapes are accepted.
    public static func parse(_ text: String, field: String = "period") throws -> ReportingPeriod {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let period = Array(trimmed.utf8).withUnsafeBufferPointer(parse(bytes:)) { return period }
        let shown = "\"\(text)\""
        if trimmed.utf8.count == 7, trimmed.contains("/"), let start = Int(trimmed.prefix(4)), years.contains(start) {
            throw FieldError(
                field,
                "\(shown) is not a financial year: the year after \(start) is written \(String(format: "%04d/%02d", start, (start + 1) % 100))"
            )
        }
        if trimmed.utf8.count == 7, trimmed.dropFirst(4).hasPrefix("-Q") {
            throw FieldError(field, "\(shown) is not a quarter: quarters are Q1 to Q4, like 2009-Q2")
        }
        if trimmed.utf8.count == 7, trimmed.dropFirst(4).hasPrefix("-"), Int(trimmed.suffix(2)) != nil {
            throw FieldError(field, "\(shown) is not a month: months are 01 to 12, like 2009-04")
        }
        throw FieldError(
            field, "\(shown) is not a period; write a month like 2009-04, a quarter like 2009-Q2 or a financial year like 2009/10")
    }

    /// Reads a period that must be of `frequency` (an indicator's reporting frequency).
    /// - Throws: `FieldError` on `field`, naming the frequency expected when the shape is
    ///   right but the frequency is not.
    public static func parse(_ text: String, frequency: ReportingFrequency, field: String = "period") throws -> ReportingPeriod {
        let period = try parse(text, field: field)
        guard period.frequency == frequency else { throw wrongFrequency(period, expected: frequency, field: field) }
        return period
    }

    static func wrongFrequency(_ period: ReportingPeriod, expected: ReportingFrequency, field: String) -> FieldError {
        let what = ["month": "a month", "quarter": "a quarter", "financial_year": "a financial year"]
        return FieldError(
            field,
            "\(period) is \(what[period.frequency.rawValue] ?? "a period"), but this indicator is reported for \(what[expected.rawValue] ?? "another period") at a time, like \(expected.example)"
        )
    }

    /// The fast path for imports: the period in `bytes` (already trimmed), or nil when it is
    /// not one; `parse(_:field:)` then says why. No String is made.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> ReportingPeriod? {
        guard bytes.count == 7 else { return nil }
        let base = bytes.startIndex
        func digit(_ offset: Int) -> Int? {
            let value = Int(bytes[base + offset]) - 0x30
            return value >= 0 && value <= 9 ? value : nil
        }
        guard let d0 = digit(0), let d1 = digit(1), let d2 = digit(2), let d3 = digit(3) else { return nil }
        let year = d0 * 1000 + d1 * 100 + d2 * 10 + d3
        let separator = bytes[base + 4]
        if separator == 0x2D {  // '-'
            if bytes[base + 5] == 0x51 {  // 'Q'
                guard let quarter = digit(6), (1...4).contains(quarter), years.contains(year) else { return nil }
                return .quarter(year: year, quarter: quarter)
            }
            guard let m0 = digit(5), let m1 = digit(6) else { return nil }
            let month = m0 * 10 + m1
            guard (1...12).contains(month), years.contains(year) else { return nil }
            return .month(year: year, month: month)
        }
        if separator == 0x2F {  // '/'
            guard let e0 = digit(5), let e1 = digit(6), e0 * 10 + e1 == (year + 1) % 100 else { return nil }
            guard years.contains(year), years.contains(year + 1) else { return nil }
            return .financialYear(startYear: year)
        }
        return nil
    }
}
