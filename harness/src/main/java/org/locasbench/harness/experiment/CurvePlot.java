package org.locasbench.harness.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
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

    /** A standalone SVG document. */
    public String toSvg(int width, int height) {
        return draw(width, height).getSVGDocument();
    }

    /** An {@code <svg>} element to inline in an HTML page. */
    public String toSvgElement(int width, int height) {
        return draw(width, height).getSVGElement();
    }

    private SVGGraphics2D draw(int width, int height) {
        System.setProperty("java.awt.headless", "true");
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
