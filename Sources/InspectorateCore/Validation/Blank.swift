extension StringProtocol {
    /// Empty, or only white space and line ends (Unicode White_Space): what a required text
    /// field must be more than. Checked scalar by scalar, without Foundation, and inlinable,
    /// since imports ask it of millions of cells (most of them empty).
    @inlinable public var isBlank: Bool {
        isEmpty || unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }
}
