package org.locasbench.results.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** Per-window curves (x: tokens streamed, y: a metric) as an SVG line chart, one line per series (JFreeChart). */
public final class CurvePlot {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, double[][]> series = new LinkedHashMap<>();

    public CurvePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public CurvePlot add(String name, double[] x, double[] y) {
        series.put(name, new double[][] {x, y});
        return this;
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

    private SVGGraphics2D draw(int width, int height) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (int i = 0; i < e.getValue()[0].length; i++) {
                s.add(e.getValue()[0][i], e.getValue()[1][i]);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getRangeAxis().setAutoRange(true);
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new java.awt.Rectangle(0, 0, width, height));
        return g;
    }
}
