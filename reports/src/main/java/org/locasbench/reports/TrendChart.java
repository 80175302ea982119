package org.locasbench.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.CategoryTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGHints;
import org.locasbench.results.plot.CurvePlot;

/**
 * One trend chart as SVG (JFreeChart / JFreeSVG): x = commits (short hash and date), y = the metric, one line per
 * series; each series' accepted baseline as a dashed line in its colour with the tolerance band shaded; the last
 * run's points larger with a dark outline; regressed points as red triangles, labelled. Every point is an SVG group
 * {@code <g class="point [regressed] [last]" data-series=… data-commit=… data-value=…>} with a {@code <title>}
 * tooltip, so the page (and its tests) can find them.
 */
final class TrendChart {
    /** The regressed points' colour, RGB (loading this class touches no AWT: the page uses it without charts). */
    static final int REGRESSED = 0xD01010;

    /** Up to this many commits, x labels are the short hash over the month and day; beyond, vertical hash and date. */
    static final int TWO_LINE_LABELS = 14;

    private TrendChart() {}

    /** The x label of commit {@code x}: {@code 3f2a9c1} over {@code 01-12}, or {@code 3f2a9c1 2026-01-12}. */
    static String label(List<Trends.Commit> commits, int x) {
        Trends.Commit c = commits.get(x);
        return commits.size() <= TWO_LINE_LABELS ? c.shortHash() + "\n" + Trends.day(c.date()).substring(5)
                : c.label();
    }

    /** The {@code <svg>} element, or null where this JVM cannot lay out text ({@link CurvePlot#canDraw}). */
    static String svg(Trends.Chart chart, String title, int width, int height) {
        if (!CurvePlot.canDraw()) {
            return null;
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<Trends.Commit> commits = chart.commits();
        for (Trends.Series s : chart.series()) {
            for (int x = 0; x < commits.size(); x++) { // every column in every row: null where no value
                Trends.Point p = s.points().get(x);
                data.addValue(p == null ? null : p.value(), s.label(), label(commits, x));
            }
        }
        CategoryPlot plot = new CategoryPlot();
        plot.setDataset(data);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinesVisible(true);
        plot.setDomainGridlinePaint(new Color(0xE4E4E4));

        CategoryAxis x = new CategoryAxis();
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        x.setLowerMargin(0.02);
        x.setUpperMargin(0.02);
        x.setCategoryMargin(0.1);
        if (commits.size() <= TWO_LINE_LABELS) {
            x.setMaximumCategoryLabelLines(2); // "3f2a9c1" over "01-12"
            x.setMaximumCategoryLabelWidthRatio(1.2f);
        } else {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        }
        plot.setDomainAxis(x);

        NumberAxis y = new NumberAxis();
        y.setAutoRangeIncludesZero(false);
        plot.setRangeAxis(y);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Trends.Series s : chart.series()) {
            for (Trends.Point p : s.points().values()) {
                lo = Math.min(lo, p.value());
                hi = Math.max(hi, p.value());
            }
        }
        Map<String, Color> colourOfResult = new LinkedHashMap<>();
        for (int i = 0; i < chart.series().size(); i++) {
            colourOfResult.putIfAbsent(chart.series().get(i).result(), CurvePlot.paint(i));
        }
        for (Map.Entry<String, Baselines.Spec> e : chart.baselines().entrySet()) {
            Baselines.Spec spec = e.getValue();
            Color c = colourOfResult.getOrDefault(e.getKey(), Color.GRAY);
            double a = spec.allowed();
            plot.addRangeMarker(new IntervalMarker(spec.value() - a, spec.value() + a,
                    new Color(c.getRed(), c.getGreen(), c.getBlue(), 36)), Layer.BACKGROUND);
            plot.addRangeMarker(new ValueMarker(spec.value(), c, new BasicStroke(1.2f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)), Layer.BACKGROUND);
            lo = Math.min(lo, spec.value() - a);
            hi = Math.max(hi, spec.value() + a);
        }
        if (Double.isFinite(lo)) {
            double pad = hi > lo ? (hi - lo) * 0.1 : Math.max(Math.abs(hi) * 0.05, 1e-3);
            y.setRange(lo - pad, hi + pad);
        }

        Renderer r = new Renderer(chart);
        for (int i = 0; i < chart.series().size(); i++) {
            r.setSeriesPaint(i, CurvePlot.paint(i));
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8)); // the legend's
        }
        plot.setRenderer(r);
        for (Trends.Series s : chart.series()) {
            s.points().forEach((at, p) -> {
                if (p.regressed()) {
                    CategoryTextAnnotation note = new CategoryTextAnnotation("regressed ", label(commits, at),
                            p.value());
                    note.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
                    note.setPaint(new Color(REGRESSED));
                    note.setTextAnchor(TextAnchor.CENTER_RIGHT);
                    note.setCategoryAnchor(org.jfree.chart.axis.CategoryAnchor.START);
                    plot.addAnnotation(note);
                }
            });
        }
        JFreeChart jf = new JFreeChart(title, CurvePlot.titleFont(), plot, true);
        jf.setBackgroundPaint(Color.WHITE);
        if (!chart.common().isEmpty()) {
            jf.addSubtitle(new TextTitle(chart.common(), new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        }
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        jf.draw(g, new Rectangle2D.Double(0, 0, width, height));
        return g.getSVGElement();
    }

    /** Lines and shapes; the shapes say what each point is, in SVG groups. */
    private static final class Renderer extends LineAndShapeRenderer {
        private static final long serialVersionUID = 1L;
        private final transient Trends.Chart chart;

        Renderer(Trends.Chart chart) {
            super(true, true);
            this.chart = chart;
            setUseFillPaint(true);
            setUseOutlinePaint(true);
            setDrawOutlines(true);
        }

        private Trends.Point point(int series, int column) {
            return chart.series().get(series).points().get(column);
        }

        private boolean isLast(int column) {
            return column == chart.last();
        }

        @Override
        public Shape getItemShape(int series, int column) {
            Trends.Point p = point(series, column);
            if (p != null && p.regressed()) {
                double s = 7;
                Path2D t = new Path2D.Double();
                t.moveTo(0, -s);
                t.lineTo(s, s * 0.75);
                t.lineTo(-s, s * 0.75);
                t.closePath();
                return t;
            }
            double rad = isLast(column) ? 5 : 3;
            return new Ellipse2D.Double(-rad, -rad, 2 * rad, 2 * rad);
        }

        @Override
        public Paint getItemFillPaint(int series, int column) {
            Trends.Point p = point(series, column);
            return p != null && p.regressed() ? new Color(REGRESSED) : getItemPaint(series, column);
        }

        @Override
        public Paint getItemOutlinePaint(int series, int column) {
            Trends.Point p = point(series, column);
            return p != null && p.regressed() ? new Color(0x600000) : isLast(column) ? Color.BLACK
                    : getItemPaint(series, column);
        }

        @Override
        public Stroke getItemOutlineStroke(int series, int column) {
            return new BasicStroke(isLast(column) ? 1.6f : 1f);
        }

        @Override
        public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
                CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row, int column,
                int pass) {
            Trends.Point p = point(row, column);
            if (pass != 1 || p == null) {
                super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
                return;
            }
            Trends.Series s = chart.series().get(row);
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("class", "point" + (p.regressed() ? " regressed" : "") + (isLast(column) ? " last" : ""));
            attrs.put("data-series", s.fullLabel());
            attrs.put("data-commit", p.record().shortCommit());
            attrs.put("data-value", String.valueOf(p.value()));
            g2.setRenderingHint(SVGHints.KEY_BEGIN_GROUP, attrs);
            g2.setRenderingHint(SVGHints.KEY_ELEMENT_TITLE, s.fullLabel() + " @ " + p.record().shortCommit() + " "
                    + Trends.day(p.record().date()) + ": " + String.format("%.4f", p.value())
                    + (p.status() == BaselineGate.Status.OK ? "" : " (" + p.status() + ")"));
            super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
            g2.setRenderingHint(SVGHints.KEY_END_GROUP, "point");
        }
    }

    static List<String> legendNote() {
        return List.of("dashed line: accepted baseline (reports/baselines), shaded: its tolerance",
                "large outlined dot: the last run", "red triangle: beyond the tolerance the wrong way (regressed)");
    }
}
