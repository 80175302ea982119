package org.locasbench.results.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * Curves (x: e.g. tokens streamed, y: a metric) as an SVG line chart, one line per series (JFreeChart). Optionally:
 * marked points on a line ({@link #marks}), a log-scale x axis ({@link #logX}), horizontal reference lines
 * ({@link #horizontalLine}).
 */
public final class CurvePlot {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, double[][]> series = new LinkedHashMap<>();
    private final Map<String, double[][]> marks = new LinkedHashMap<>();
    private final Map<String, Integer> colours = new LinkedHashMap<>();
    private final List<Double> horizontalLines = new ArrayList<>();
    private boolean logX;

    public CurvePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public CurvePlot add(String name, double[] x, double[] y) {
        return add(name, x, y, series.containsKey(name) ? colours.get(name) : series.size());
    }

    /** A line in colour {@link #paint}({@code colour}), so that related charts agree on each method's colour. */
    public CurvePlot add(String name, double[] x, double[] y, int colour) {
        series.put(name, new double[][] {x, y});
        colours.put(name, colour);
        return this;
    }

    /** Points drawn as filled shapes in the colour of the line {@code line} (added before), not in the legend. */
    public CurvePlot marks(String line, double[] x, double[] y) {
        if (!series.containsKey(line)) {
            throw new IllegalArgumentException("no line '" + line + "' to mark; add it first");
        }
        marks.put(line, new double[][] {x, y});
        return this;
    }

    /** A log-scale (base 2) x axis; every x must be positive. */
    public CurvePlot logX() {
        this.logX = true;
        return this;
    }

    /** A thin grey horizontal line at {@code y} (e.g. 0 for differences). */
    public CurvePlot horizontalLine(double y) {
        horizontalLines.add(y);
        return this;
    }

    /** The line names, in the order added. */
    public List<String> names() {
        return List.copyOf(series.keySet());
    }

    public boolean isEmpty() {
        return series.isEmpty();
    }

    /** A standalone SVG document, or null where this JVM cannot lay out text (see {@link #canDraw}). */
    public String toSvg(int width, int height) {
        return canDraw() ? draw(width, height).getSVGDocument() : null;
    }

    /** An {@code <svg>} element to inline in an HTML page, or null where this JVM cannot lay out text. */
    public String toSvgElement(int width, int height) {
        return canDraw() ? draw(width, height).getSVGElement() : null;
    }

    /**
     * Whether AWT can measure text here. A bare GPU node may lack the host font libraries (harfbuzz, freetype,
     * fontconfig) that the JDK's font manager links to; results are then written without plots, with one warning.
     */
    public static synchronized boolean canDraw() {
        if (fontsUsable == null) {
            System.setProperty("java.awt.headless", "true");
            try {
                new Font(Font.SANS_SERIF, Font.PLAIN, 12).getStringBounds("0", new FontRenderContext(null, true, true));
                fontsUsable = true;
            } catch (LinkageError | InternalError e) {
                System.err.println("warning: plots skipped: this Java cannot lay out text (" + e.getMessage()
                        + "); install the host's font libraries (fontconfig, freetype, harfbuzz) to get them");
                fontsUsable = false;
            }
        }
        return fontsUsable;
    }

    private static Boolean fontsUsable;

    /**
     * Chart titles: bold 15 (JFreeChart's 18 wraps the longer titles at the page's widths). Made on use, after
     * {@link #canDraw}, never at class loading (a host without font libraries would fail there).
     */
    public static Font titleFont() {
        return new Font(Font.SANS_SERIF, Font.BOLD, 15);
    }

    /**
     * Line and bar colours, in order: Tableau's ten (matplotlib's default cycle) with red moved last, since red marks
     * regressions on the trend charts. RGB values, so that loading this class touches no AWT.
     */
    private static final int[] PALETTE = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
        0xbcbd22, 0x17becf, 0xd62728};

    /** The colour of series {@code i} (so that charts which mark or relate series agree on colours). */
    public static Color paint(int i) {
        return new Color(PALETTE[i % PALETTE.length]);
    }

    private SVGGraphics2D draw(int width, int height) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<String> names = new ArrayList<>(series.keySet());
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            data.addSeries(xy(e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, double[][]> e : marks.entrySet()) {
            data.addSeries(xy(e.getKey() + " (marks)", e.getValue()));
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        chart.getTitle().setFont(titleFont());
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getRangeAxis().setAutoRange(true);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        if (logX) {
            LogAxis axis = new LogAxis(xLabel);
            axis.setBase(2);
            axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1), false, false); // a tick per power of 2
            axis.setAutoTickUnitSelection(false);
            axis.setNumberFormatOverride(new DecimalFormat("0"));
            axis.setSmallestValue(0.5);
            plot.setDomainAxis(axis);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesPaint(i, paint(colours.get(names.get(i))));
        }
        int i = series.size();
        for (String line : marks.keySet()) {
            renderer.setSeriesPaint(i, paint(colours.get(line)));
            renderer.setSeriesLinesVisible(i, false);
            renderer.setSeriesShapesVisible(i, true);
            renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-4, -4, 8, 8));
            renderer.setSeriesVisibleInLegend(i, false);
            i++;
        }
        plot.setRenderer(renderer);
        for (double y : horizontalLines) {
            ValueMarker m = new ValueMarker(y, Color.GRAY, new BasicStroke(1f));
            plot.addRangeMarker(m);
        }
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new java.awt.Rectangle(0, 0, width, height));
        return g;
    }

    private static XYSeries xy(String name, double[][] points) {
        XYSeries s = new XYSeries(name, false, true);
        for (int i = 0; i < points[0].length; i++) {
            s.add(points[0][i], points[1][i]);
        }
        return s;
    }
}
