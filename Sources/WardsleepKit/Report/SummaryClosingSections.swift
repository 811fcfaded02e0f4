/// The sections of the summary after the results of each measure: variation over time, unintended consequences, missing
/// and quarantined data, and limitations.
extension SummaryDocument {
    static func variation(_ s: ReleasedEvidence) -> ReportDocument {
        var doc = ReportDocument()
        doc.heading(2, "Results: variation over time")
        let withoutBaseline: Prose? = s.chartsWithoutBaseline.isEmpty ? nil
            : Prose("Left out of this copy, every baseline month being a small number (suppressed), so that no centre line or "
                    + "limits can be published: " + s.chartsWithoutBaseline.joined(separator: "; ") + ".")
        guard !s.charts.isEmpty else {
            doc.paragraph(withoutBaseline ?? "Not enough data for control charts (occupancy, incidents or plans not supplied).")
            return doc
        }
        for (i, c) in s.charts.enumerated() where c.ward == nil { doc.figure(alt: SVGChart.altText(c), path: s.chartPath(i)) }
        if let withoutBaseline { doc.paragraph(withoutBaseline) }
        if s.style.policy != nil && s.hypnotics == .administrations {
            doc.paragraph("Charts of DDDs of doses given are shown only in an exact copy (\(code: "restricted/"), with "
                          + "\(code: "--unsuppressed")): a month's DDDs beside its published doses would give the exact number of doses back.")
        }
        // Ward charts as small multiples, one grid per measure (the title before ", ward"), in the order the charts come.
        var measures: [String] = [], byMeasure: [String: [Int]] = [:]
        for i in s.charts.indices where s.charts[i].ward != nil {
            let title = s.charts[i].title
            let measure = title.range(of: ", ward ").map { String(title[..<$0.lowerBound]) } ?? title
            if byMeasure[measure] == nil { measures.append(measure) }
            byMeasure[measure, default: []].append(i)
        }
        for measure in measures {
            doc.paragraph(Prose("\(measure), ward by ward:"))
            doc.figures(byMeasure[measure]!.map { (alt: SVGChart.altText(s.charts[$0]), path: s.chartPath($0)) })
        }
        doc.table(header: ["Chart", "Points", "Centre line", "Limits", "Special-cause points", "Variation"],
                  numeric: [false, true, true, false, true, false], rows: s.charts.map { c in
            let centre = c.points.first.map { NumberFormat.fixed($0.centre, 2) } ?? "—"
            return [c.title, String(c.points.count), centre,
                    c.trialLimits ? "provisional (\(c.baselinePoints) baseline points)" : "\(c.baselinePoints) baseline points",
                    String(c.points.filter { !$0.rules.isEmpty }.count), c.icon.rawValue].map { Prose($0) }
        })
        doc.paragraph("Every point, its limits and the rule that fired are in \(code: "tables/spc.csv"); each chart is in \(code: "charts/").")
        return doc
    }

    static func unintended(_ s: ReleasedEvidence) -> ReportDocument {
        let style = s.style
        var doc = ReportDocument()
        doc.heading(2, "Unintended consequences")
        var lines: [Prose] = []
        if let safety = s.safety {
            // Serious incidents are counted over 24 hours, so a protected-window report leaves them out.
            if s.study.scope.windows.contains(.allDay) {
                lines.append(Prose("Serious incidents (severe harm or death): \(safety.shownSerious(.baseline, style: style)) in the baseline, "
                                   + "\(safety.shownSerious(.pilot, style: style)) in the pilot."))
            }
            if let cell = safety.studyCell(IncidentCounts.allCategories, .protected) {
                let what = s.study.scope.categories == nil ? "Incidents" : s.study.incidentsInScopeName
                lines.append(Prose(SafetySection.sentence("\(what) during the protected window, when checks are fewest", ShownComparison(cell, style: style))))
            }
        }
        if let f = s.feedback {
            for r in f.codebook.requests {
                lines.append(Prose("\(r.label): \(f.show(.mentions(name: r.name, request: true, group: nil, stage: nil), style: style)) comment(s)."))
            }
        }
        if let line = s.leftOut[.feedback] { lines.append(Prose(line)) }
        if lines.isEmpty { doc.paragraph("Nothing to report: neither incidents nor feedback were supplied.") } else { doc.list(lines) }
        return doc
    }

    static func limitations(_ s: ReleasedEvidence) -> ReportDocument {
        var items = [
            "A before-and-after comparison without a control group: other changes over the same months (staffing, case mix, "
                + "season, other initiatives) may explain differences as well as, or instead of, the intervention.",
            "Many comparisons are made across categories and wards; some p-values below 0.05 are expected by chance alone.",
        ]
        if !s.exposureFromOccupancy { items.append("No occupancy export: rates are per ward-day, not per occupied bed day.") }
        if s.ingest.hypnoticsKind == .issues && s.hypnotics != nil {
            items.append("Pharmacy issues measure supply to wards, not doses taken; packs make the counts over-dispersed.")
        }
        if s.charts.contains(where: \.trialLimits) {
            items.append("Some control charts rest on fewer than 12 baseline points: their limits are provisional.")
        }
        if s.feedback != nil { items.append("Feedback comes from those who chose to respond; the same people may answer before and after.") }
        let quarantined = s.ingest.tallies.reduce(0) { $0 + $1.quarantined }
        if quarantined > 0 { items.append("\(s.style.show(quarantined)) rows could not be used and were quarantined (see the data section).") }
        if s.study.synthetic { items.append("The data are synthetic: the numbers illustrate the method and describe no real ward.") }
        var doc = ReportDocument()
        doc.heading(2, "Limitations")
        doc.list(items.map { Prose($0) })
        return doc
    }

    static func dataQuality(_ s: ReleasedEvidence) -> ReportDocument {
        let style = s.style
        var doc = ReportDocument()
        doc.heading(2, "Missing and quarantined data")
        doc.paragraph("Every row read is either accepted or quarantined (written with its file, line, column and reason to "
                      + "\(code: "restricted/quarantine/"), not for release). Rows set aside were accepted but fall outside the analysis by rule.")
        doc.table(header: ["Export", "File", "Rows read", "Accepted", "Quarantined", "Quarantined %", "Set aside", "Encoding"],
                  numeric: [false, false, true, true, true, true, false, false],
                  rows: s.ingest.tallies.map { ReleasedTally($0, style: style) }.map { t in
            let aside = t.setAside.map { "\($0.reason): \($0.text)" }
            return [DisplayLabel.words(t.tally.export.rawValue), t.tally.file, t.rowsRead, t.accepted, t.quarantined, t.percentText,
                    aside.isEmpty ? "none" : aside.joined(separator: "; "), t.tally.encoding].map { Prose($0) }
        })
        if let policy = style.policy {
            doc.paragraph("\(emphasis: "Row counts are disclosure-controlled like every other count: \(Disclosure.note(policy, secondary: false))")")
        }
        let threshold = s.study.quality.maxQuarantinedPercent
        let over = s.ingest.exportsOverThreshold(threshold)
        if over.isEmpty {
            doc.paragraph(Prose("No export quarantined more than \(NumberFormat.json(threshold))% of its rows (the study's threshold)."))
        } else {
            doc.paragraph("\(strong: "Above the study's threshold of \(NumberFormat.json(threshold))% quarantined:") "
                          + Prose(over.map { "\($0.file) (\(ReleasedTally($0, style: style).percentText)%)" }.joined(separator: ", ") + "."))
        }
        doc.list(s.dataQualityFindings.map { Prose($0) })
        let withProblems = s.ingest.tallies.filter { (s.problems[$0.export]?.total ?? 0) > 0 }
        if !withProblems.isEmpty {
            doc.heading(3, "Reasons for quarantine")
            var rows: [[Prose]] = []
            for t in withProblems {
                guard let digest = s.problems[t.export] else { continue }
                for (kind, count) in digest.topKinds.prefix(8) {
                    let first = digest.firstLineByKind[kind].map { String($0) } ?? "—"
                    rows.append([DisplayLabel.words(t.export.rawValue), kind, style.show(count), first].map { Prose($0) })
                }
            }
            doc.table(header: ["Export", "Problem", "Rows", "First line"], numeric: [false, false, true, true], rows: rows)
        }
        if !s.ingest.notSupplied.isEmpty {
            doc.paragraph(Prose("Not supplied: " + s.ingest.notSupplied.map(\.rawValue).joined(separator: ", ")
                                + ". The sections that depend on them say so."))
        }
        return doc
    }
}
