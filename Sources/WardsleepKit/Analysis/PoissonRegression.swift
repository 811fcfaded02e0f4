import Foundation

/// A Poisson log-linear model with an offset, fitted as R's `glm(y ~ X + offset(o), family = quasipoisson)` fits it:
/// iteratively reweighted least squares from R's starting values (μ = y + 0.1), the same convergence rule
/// (|Δ deviance| / (|deviance| + 0.1) < 10⁻⁸, at most 25 iterations), and the same treatment of aliased columns (a
/// column whose part not explained by the columns before it is below 10⁻¹¹ of its length is dropped, as R's `dqrdc2`
/// does, and reported). The dispersion is Pearson χ² over the residual degrees of freedom (R's `summary.glm`), so
/// standard errors, t-based p-values and Wald intervals (R's `confint.default`) equal R's.
public enum PoissonRegression {
    /// The largest number of IRLS iterations (R's `glm.control(maxit = 25)`).
    public static let maxIterations = 25
    /// The convergence tolerance on the relative change in deviance (R's `glm.control(epsilon = 1e-8)`).
    public static let epsilon = 1e-8
    /// The tolerance below which a column counts as aliased (R's `min(1e-7, epsilon / 1000)`).
    static let aliasTolerance = 1e-11

    /// Fits counts (or any non-negative amounts) `y` on the named `columns` (each one value per row; give an intercept
    /// column of ones explicitly) with `offset` (usually the log of the exposure). `quasi` estimates the dispersion
    /// (quasi-Poisson); otherwise it is 1 (Poisson).
    public static func fit(y: [Double], columns: [(name: String, values: [Double])], offset: [Double], quasi: Bool = true,
                           maxIterations: Int = maxIterations) -> Result<PoissonFit, ModelFailure>
    {
        let n = y.count
        guard n > 0 else { return .failure(.noRows) }
        guard columns.allSatisfy({ $0.values.count == n }), offset.count == n else { return .failure(.invalidInput("the columns and the counts differ in length")) }
        guard y.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return .failure(.invalidInput("a count is negative or not a finite number")) }
        guard offset.allSatisfy(\.isFinite), columns.allSatisfy({ $0.values.allSatisfy(\.isFinite) }) else {
            return .failure(.invalidInput("an exposure is zero or a value is not a finite number"))
        }
        guard y.contains(where: { $0 > 0 }) else { return .failure(.noEvents) }
        let p = columns.count
        var mu = y.map { $0 + 0.1 }
        var eta = mu.map { Foundation.log($0) }
        var devOld = deviance(y, mu)
        var converged = false, iterations = 0
        var beta = [Double](repeating: 0, count: p)
        var lastQR: WeightedQR?
        var lastWeights: [Double] = []
        for iteration in 1...max(1, maxIterations) {
            iterations = iteration
            let w = mu.map { $0.squareRoot() }
            let z = (0..<n).map { (eta[$0] - offset[$0]) + (y[$0] - mu[$0]) / mu[$0] }
            let qr = WeightedQR(columns: columns.map { c in (0..<n).map { c.values[$0] * w[$0] } }, tolerance: aliasTolerance)
            let solved = qr.solve((0..<n).map { z[$0] * w[$0] })
            beta = [Double](repeating: 0, count: p)
            for (k, j) in qr.kept.enumerated() { beta[j] = solved[k] }
            lastQR = qr
            lastWeights = mu
            for i in 0..<n {
                var e = offset[i]
                for j in qr.kept { e += columns[j].values[i] * beta[j] }
                eta[i] = e
                mu[i] = Foundation.exp(e)
            }
            guard mu.allSatisfy({ $0.isFinite && $0 > 0 }) else { return .failure(.fittedRatesOutOfRange) }
            let dev = deviance(y, mu)
            guard dev.isFinite else { return .failure(.fittedRatesOutOfRange) }
            if abs(dev - devOld) / (abs(dev) + 0.1) < epsilon {
                converged = true
                devOld = dev
                break
            }
            devOld = dev
        }
        guard converged, let qr = lastQR else { return .failure(.notConverged(iterations: iterations)) }
        // R warns "fitted rates numerically 0 occurred": a segment with no events pushes its rate towards zero, and the
        // estimate of its parameter towards minus infinity; nothing about it can be reported.
        // R's own threshold (10 ε) lets a rate of e⁻²⁴ through with a standard error in the thousands; a fitted value
        // below 10⁻⁸ of the mean count is a rate that has run to zero just the same.
        let floor = max(10 * Double.ulpOfOne, 1e-8 * y.reduce(0, +) / Double(n))
        guard mu.allSatisfy({ $0 >= floor }) else { return .failure(.fittedRatesZero) }
        let rank = qr.kept.count
        let df = n - rank
        guard df > 0 else { return .failure(.noResidualDegreesOfFreedom(points: n, parameters: rank)) }
        let dispersion = quasi ? pearsonDispersion(y, mu, weights: lastWeights, df: df) : 1
        let unscaled = qr.unscaledCovarianceDiagonal()
        var estimates: [PoissonFit.Coefficient] = []
        for (j, c) in columns.enumerated() {
            if let k = qr.kept.firstIndex(of: j) {
                estimates.append(.init(name: c.name, estimate: beta[j], standardError: (dispersion * unscaled[k]).squareRoot()))
            } else {
                estimates.append(.init(name: c.name, estimate: nil, standardError: nil))
            }
        }
        return .success(PoissonFit(coefficients: estimates, dispersion: dispersion, dfResidual: df, deviance: devOld,
                                   iterations: iterations, fitted: mu))
    }

    /// Pearson χ² over the residual degrees of freedom, R's `summary.glm` dispersion for a quasi family (`weights`: the
    /// working weights of the last step).
    static func pearsonDispersion(_ y: [Double], _ mu: [Double], weights: [Double], df: Int) -> Double {
        var pearson = 0.0
        for i in y.indices {
            let r = (y[i] - mu[i]) / mu[i]
            pearson += weights[i] * r * r
        }
        return pearson / Double(df)
    }

    /// The Poisson deviance, R's `sum(poisson()$dev.resids(y, mu, 1))`.
    static func deviance(_ y: [Double], _ mu: [Double]) -> Double {
        var d = 0.0
        for i in y.indices { d += 2 * ((y[i] > 0 ? y[i] * Foundation.log(y[i] / mu[i]) : 0) - (y[i] - mu[i])) }
        return d
    }
}

/// Why a model was not fitted. Each says so in words a reader of the report understands.
public enum ModelFailure: Error, Equatable, Sendable, Codable, CustomStringConvertible {
    /// No rows at all.
    case noRows
    /// Every count is zero: no rate to model.
    case noEvents
    /// Counts, exposures or columns that cannot be used.
    case invalidInput(String)
    /// IRLS did not settle within the iteration limit.
    case notConverged(iterations: Int)
    /// A fitted rate overflowed or fell to zero during the iterations.
    case fittedRatesOutOfRange
    /// Converged, but some fitted rates are numerically zero (a segment without events).
    case fittedRatesZero
    /// As many parameters as points.
    case noResidualDegreesOfFreedom(points: Int, parameters: Int)
    /// A period without a single event: its level would be estimated as a rate of zero (R reports an estimate near
    /// −25 with a standard error in the thousands).
    case periodWithoutEvents(StudyPeriod)
    /// Fewer points than the design needs (segmented regression).
    case tooFewPoints(baseline: Int, pilot: Int, needed: Int)

    public var description: String {
        switch self {
        case .noRows: return "no months to model"
        case .noEvents: return "no events in any month: there is no rate to model"
        case .invalidInput(let why): return "the data cannot be modelled: \(why)"
        case .notConverged(let n): return "the model did not converge in \(n) iterations; no estimate is reported"
        case .fittedRatesOutOfRange, .fittedRatesZero:
            return "a segment has no events, so its rate is estimated as zero and its change cannot be estimated; no model is reported"
        case .noResidualDegreesOfFreedom(let points, let parameters):
            return "\(points) points for \(parameters) parameters leave no degrees of freedom for the dispersion; no model is reported"
        case .periodWithoutEvents(let period):
            return "no events in the \(period.rawValue), so its rate is estimated as zero and the changes cannot be estimated; no model is fitted"
        case .tooFewPoints(let b, let p, let needed):
            return "too few points: \(b) baseline and \(p) pilot month\(p == 1 ? "" : "s") (at least \(needed) of each are needed); no model is fitted"
        }
    }
}

/// A fitted (quasi-)Poisson model.
public struct PoissonFit: Sendable, Equatable, Codable {
    /// One column's estimate; `nil` when the column was aliased (R's `NA`).
    public struct Coefficient: Sendable, Equatable, Codable {
        /// The column's name.
        public var name: String
        /// The estimate on the log scale.
        public var estimate: Double?
        /// Its standard error, with the dispersion.
        public var standardError: Double?
    }

    /// Every column, in the order given, aliased ones with `nil`.
    public var coefficients: [Coefficient]
    /// Pearson χ² over the residual degrees of freedom (1 for a Poisson fit).
    public var dispersion: Double
    /// Points minus the parameters estimated.
    public var dfResidual: Int
    /// The residual deviance.
    public var deviance: Double
    /// IRLS iterations used.
    public var iterations: Int
    /// Fitted values (expected counts) per row.
    public var fitted: [Double]

    /// The names of the columns dropped as aliased.
    public var aliased: [String] { coefficients.filter { $0.estimate == nil }.map(\.name) }

    /// A column's coefficient by name.
    public func coefficient(_ name: String) -> Coefficient? { coefficients.first { $0.name == name } }

    /// The t statistic of a column, R's `coef(summary(fit))[, "t value"]`.
    public func tValue(_ name: String) -> Double? {
        guard let c = coefficient(name), let e = c.estimate, let se = c.standardError, se > 0 else { return nil }
        return e / se
    }

    /// Two-sided p from the t distribution with the residual degrees of freedom, R's `summary.glm` for a quasi family.
    public func pValue(_ name: String) -> Double? {
        tValue(name).map { 2 * Distributions.studentTCDF(-abs($0), df: Double(dfResidual)) }
    }

    /// The Wald interval on the log scale, R's `confint.default(fit, level = confidence)`.
    public func interval(_ name: String, confidence: Double = 0.95) -> (lower: Double, upper: Double)? {
        guard let c = coefficient(name), let e = c.estimate, let se = c.standardError else { return nil }
        let z = Distributions.normalQuantile(1 - (1 - confidence) / 2)
        return (e - z * se, e + z * se)
    }
}

/// A QR decomposition by Householder reflections of a weighted design, columns taken in order and a column dropped
/// when its part not explained by the columns kept before it is below `tolerance` times its length (R's `dqrdc2`
/// limited pivoting).
struct WeightedQR {
    /// The original indices of the columns kept, in order.
    var kept: [Int] = []
    /// The Householder vectors, one per kept column (length n, zero above the diagonal).
    var reflectors: [[Double]] = []
    /// The upper-triangular R, by kept column: r[k] holds rows 0...k.
    var r: [[Double]] = []
    let n: Int

    init(columns: [[Double]], tolerance: Double) {
        n = columns.first?.count ?? 0
        for (j, original) in columns.enumerated() {
            guard kept.count < n else { break }
            var x = original
            for v in reflectors { WeightedQR.reflect(&x, v) }
            let k = kept.count
            let full = norm(original[...])
            let rest = norm(x[k...])
            guard full > 0, rest >= tolerance * full else { continue }
            // The reflector that maps x[k...] onto a multiple of the k-th unit vector, with the sign that avoids cancellation.
            let alpha = x[k] >= 0 ? -rest : rest
            var v = [Double](repeating: 0, count: n)
            for i in k..<n { v[i] = x[i] }
            v[k] -= alpha
            let vv = norm(v[...])
            for i in k..<n { v[i] /= vv }
            x[k] = alpha
            reflectors.append(v)
            kept.append(j)
            r.append(Array(x[0...k]))
        }
    }

    /// Applies the reflection I − 2vvᵀ to `x`.
    static func reflect(_ x: inout [Double], _ v: [Double]) {
        var dot = 0.0
        for i in v.indices where v[i] != 0 { dot += v[i] * x[i] }
        guard dot != 0 else { return }
        for i in v.indices where v[i] != 0 { x[i] -= 2 * dot * v[i] }
    }

    /// The least-squares coefficients of the kept columns for `b`.
    func solve(_ b: [Double]) -> [Double] {
        var qtb = b
        for v in reflectors { WeightedQR.reflect(&qtb, v) }
        let p = kept.count
        var x = [Double](repeating: 0, count: p)
        for k in stride(from: p - 1, through: 0, by: -1) {
            var s = qtb[k]
            for j in (k + 1)..<max(k + 1, p) { s -= r[j][k] * x[j] }
            x[k] = s / r[k][k]
        }
        return x
    }

    /// R⁻¹, upper triangular, by columns (R · R⁻¹ = I): `inv[c][k]` is row k, column c.
    private func inverseR() -> [[Double]] {
        let p = kept.count
        var inv = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for c in 0..<p {
            for k in stride(from: c, through: 0, by: -1) {
                var s = k == c ? 1.0 : 0.0
                for j in (k + 1)..<max(k + 1, c + 1) { s -= r[j][k] * inv[c][j] }
                inv[c][k] = s / r[k][k]
            }
        }
        return inv
    }

    /// The diagonal of (RᵀR)⁻¹ (R's `chol2inv(qr.R)`), the unscaled variances of the kept columns.
    func unscaledCovarianceDiagonal() -> [Double] {
        let inv = inverseR(), p = kept.count
        // (RᵀR)⁻¹ = R⁻¹ · R⁻¹ᵀ: its diagonal is the sum of squares along each row of R⁻¹.
        return (0..<p).map { k in (k..<p).reduce(0.0) { $0 + inv[$1][k] * inv[$1][k] } }
    }

    /// The whole of (RᵀR)⁻¹, the unscaled covariance of the kept columns (entry [a][b]).
    func unscaledCovariance() -> [[Double]] {
        let inv = inverseR(), p = kept.count
        return (0..<p).map { a in (0..<p).map { b in (max(a, b)..<p).reduce(0.0) { $0 + inv[$1][a] * inv[$1][b] } } }
    }
}

func norm(_ x: ArraySlice<Double>) -> Double {
    // Scaled to avoid overflow and underflow, as BLAS dnrm2 does.
    let scale = x.reduce(0.0) { max($0, abs($1)) }
    guard scale > 0, scale.isFinite else { return scale }
    return scale * x.reduce(0.0) { $0 + ($1 / scale) * ($1 / scale) }.squareRoot()
}
