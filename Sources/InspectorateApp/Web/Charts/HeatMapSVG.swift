import Foundation
import InspectorateCore

/// The organisations × areas heat map, drawn on the server as SVG. The same numbers are
/// always given beside it as a table; the picture is for scanning, the table for reading.
enum HeatMapSVG {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Light to dark blue for low to high levels, light grey for unassessed; a cell short of
    /// its tier's minimum gets a red outline, so meaning never rests on colour alone (the
    /// level is also written in the cell).
    static func colour(_ level: Int?, in range: ClosedRange<Int>) -> (fill: String, text: String) {
        guard let level else { return ("#f3f2f1", "#505a5f") }
        let palette = ["#d2e2f1", "#a5c5e3", "#6a9fd1", "#2b6cb0", "#12436d"]
        let span = max(1, range.upperBound - range.lowerBound)
        let index = Int((Double(level - range.lowerBound) / Double(span) * Double(palette.count - 1)).rounded())
        let fill = palette[max(0, min(palette.count - 1, index))]
        return (fill, index >= 3 ? "#ffffff" : "#0b0c0c")
    }

    static func render(rows: [PictureRow], framework: Framework, title: String) -> String {
        let labelWidth = 230, cell = 44, header = 150, rowHeight = 26
        // Room on the right for the last rotated area label.
        let width = labelWidth + cell * framework.areas.count + 130
        let height = header + rowHeight * max(rows.count, 1) + 10
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" aria-labelledby="heatmap-title" class="heatmap" font-family="Arial, Helvetica, sans-serif" font-size="13">
            <title id="heatmap-title">\(escape(title)). The table below gives the same figures.</title>

            """
        for (index, area) in framework.areas.enumerated() {
            let x = labelWidth + index * cell + cell / 2
            svg +=
                "<text transform=\"translate(\(x),\(header - 8)) rotate(-50)\" fill=\"#0b0c0c\">\(escape(area.title.count > 30 ? String(area.title.prefix(29)) + "…" : area.title))</text>\n"
        }
        for (rowIndex, row) in rows.enumerated() {
            let y = header + rowIndex * rowHeight
            svg +=
                "<text x=\"\(labelWidth - 8)\" y=\(quote(y + 17)) text-anchor=\"end\" fill=\"#0b0c0c\">\(escape(String(row.name.prefix(32))))</text>\n"
            let tier = row.tier.flatMap(framework.tier)
            for (index, area) in framework.areas.enumerated() {
                let level = row.areaLevels[area.code]
                let (fill, ink) = colour(level, in: framework.levels)
                let short = level.map { $0 < (tier?.minimums[area.code] ?? framework.levels.lowerBound) } ?? false
                let x = labelWidth + index * cell
                svg +=
                    "<rect x=\(quote(x + 1)) y=\(quote(y + 1)) width=\(quote(cell - 2)) height=\(quote(rowHeight - 2)) fill=\"\(fill)\"\(short ? " stroke=\"#d4351c\" stroke-width=\"3\"" : "")/>"
                svg +=
                    "<text x=\(quote(x + cell / 2)) y=\(quote(y + 17)) text-anchor=\"middle\" fill=\"\(ink)\">\(level.map(String.init) ?? "–")</text>\n"
            }
        }
        return svg + "</svg>"
    }

    private static func quote(_ value: Int) -> String { "\"\(value)\"" }
}
