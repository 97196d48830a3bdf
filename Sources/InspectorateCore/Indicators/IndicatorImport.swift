/// The problems an indicator import (values, or a most-similar grouping) reports, and the
/// error that carries them.
public enum IndicatorImport {
    public typealias Problem = FileProblem
    /// All or none: any problem means nothing is imported.
    public typealias Invalid = FileInvalid

    /// Columns of a values file: these four, in any order…
    public static let requiredColumns = ["indicator", "organisation", "period", "value"]
    /// …and these two if wanted. No other column is read or allowed.
    public static let optionalColumns = ["status", "note"]
}
