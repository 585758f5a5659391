#pragma once

#include <QString>

class QCustomPlot;

namespace collab::ui {

// The look every reward plot shares: a title row, light grid, small fonts, and a line of
// text in the middle when there is nothing to plot (saying why).
void stylePlot(QCustomPlot* plot, const QString& title);
// Moves the legend out of the data, into a row under the axes, its entries side by side.
void placeLegendBelow(QCustomPlot* plot);
// Replaces the plot's "nothing to show" text (empty: none).
void setPlotMessage(QCustomPlot* plot, const QString& message);

} // namespace collab::ui
