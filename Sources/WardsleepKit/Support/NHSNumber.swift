/// NHS numbers: ten digits, the last a modulus-11 check digit.
public enum NHSNumber {
    /// The check digit for the first nine digits, or `nil` when the remainder makes the number invalid (check 10).
    public static func checkDigit(_ nine: [Int]) -> Int? {
        guard nine.count == 9 else { return nil }
        let sum = nine.enumerated().reduce(0) { $0 + $1.element * (10 - $1.offset) }
        let check = 11 - sum % 11
        if check == 11 { return 0 }
        return check == 10 ? nil : check
    }

    /// Whether `s` (spaces and hyphens allowed between digits) is a valid NHS number.
    public static func isValid(_ s: String) -> Bool {
        let digits = s.filter { $0 != " " && $0 != "-" }.compactMap { $0.wholeNumberValue }
        guard digits.count == 10, s.filter({ $0 != " " && $0 != "-" }).count == 10 else { return false }
        return checkDigit(Array(digits.prefix(9))) == digits[9]
    }
}
