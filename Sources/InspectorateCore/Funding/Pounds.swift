/// Money and percentages as the explanation writes them: "£412,000", "-£1,250", "10%",
/// "2.5%". Written by hand so that the text does not depend on the machine's locale.
public enum Pounds {
    /// "£412,000"; a negative sum as "-£412,000".
    public static func format(_ pounds: Int) -> String {
        let magnitude = pounds.magnitude
        var digits = Array(String(magnitude))
        var grouped: [Character] = []
        grouped.reserveCapacity(digits.count + digits.count / 3)
        while !digits.isEmpty {
            let group = digits.suffix(3)
            digits.removeLast(group.count)
            grouped.insert(contentsOf: group, at: 0)
            if !digits.isEmpty { grouped.insert(",", at: 0) }
        }
        return (pounds < 0 ? "-£" : "£") + String(grouped)
    }

    /// A percentage to at most two decimal places, without trailing zeros: "10%", "2.5%", "-0.33%".
    public static func percent(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let whole = hundredths.magnitude / 100
        let fraction = hundredths.magnitude % 100
        if fraction == 0 { return "\(sign)\(whole)%" }
        let decimals = fraction % 10 == 0 ? "\(fraction / 10)" : (fraction < 10 ? "0\(fraction)" : "\(fraction)")
        return "\(sign)\(whole).\(decimals)%"
    }

    /// Whole pounds written as ASCII digits, optionally followed by a decimal point and zeros
    /// ("1200", "1200.00"); nil for anything else, including a sign or a fraction of a pound.
    public static func parseWhole(_ text: Substring) -> Int? {
        var value = 0
        var digits = 0
        var afterPoint = -1
        for byte in text.utf8 {
            if byte == 0x2E {
                guard afterPoint < 0, digits > 0 else { return nil }
                afterPoint = 0
            } else if afterPoint >= 0 {
                guard byte == 0x30 else { return nil }
                afterPoint += 1
            } else {
                guard byte >= 0x30 && byte <= 0x39, digits < 18 else { return nil }
                value = value * 10 + Int(byte - 0x30)
                digits += 1
            }
        }
        guard digits > 0, afterPoint != 0 else { return nil }
        return value
    }

    public static func parseWhole(_ text: String) -> Int? { parseWhole(Substring(text)) }
}
