// beta-VAE score (Higgins et al. 2017) as disentanglement_lib's beta_vae.py computes it: pairs that share one
// factor differ little along the dimension encoding it, so a linear classifier on the mean absolute pair difference
// should recover which factor was shared.
//
// The classifier is sklearn's LogisticRegression with its defaults (what the SRE code and disentanglement_lib
// call): multinomial softmax, objective C * sum of log losses + |W|^2 / 2 with free intercepts, no feature scaling.
// sklearn minimises it with L-BFGS; we use damped Newton steps on the same convex objective, which reaches the
// same optimum more tightly (the problem has a few hundred parameters at most).
#include "evaluation/disentanglement.h"

#include "seededrandom.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace untangle {

namespace {

/** Relative decrease below which Newton stops: the objective is then flat to double precision for our purposes. */
constexpr double NewtonTolerance = 1e-12;
/** Armijo sufficient-decrease constant of the backtracking line search (the textbook value). */
constexpr double ArmijoFraction = 1e-4;
/** Ridge on the intercepts only: their common shift leaves the softmax unchanged, so the Hessian is singular there. */
constexpr double InterceptRidge = 1e-9;

struct Points {
    int dims = 0;
    std::vector<double> features; // count x dims
    std::vector<int> labels; // the shared factor
};

Points generatePoints(const FactorSampler &sampler, const BetaVaeOptions &options, int count, SeededRandom &random)
{
    const int d = sampler.codeDim, f = int(sampler.factorSizes.size()), batch = options.batchSize;
    Points points;
    points.dims = d;
    std::vector<double> first, second, two;
    for (int p = 0; p < count; ++p) {
        const int factor = random.below(f);
        if (sampler.samplePairs) {
            sampler.samplePairs(factor, batch, first, second);
            sampler.checkBatch(first, batch, "samplePairs");
            sampler.checkBatch(second, batch, "samplePairs");
        } else {
            first.assign(std::size_t(batch) * d, 0.0);
            second.assign(std::size_t(batch) * d, 0.0);
            for (int i = 0; i < batch; ++i) {
                const int value = random.below(sampler.factorSizes[std::size_t(factor)]);
                sampler.sampleWithFactorFixed(factor, value, 2, two);
                sampler.checkBatch(two, 2, "sampleWithFactorFixed");
                std::copy(two.begin(), two.begin() + d, first.begin() + std::ptrdiff_t(i) * d);
                std::copy(two.begin() + d, two.end(), second.begin() + std::ptrdiff_t(i) * d);
            }
        }
        for (int j = 0; j < d; ++j) {
            double sum = 0.0;
            for (int i = 0; i < batch; ++i)
                sum += std::abs(first[std::size_t(i) * d + j] - second[std::size_t(i) * d + j]);
            points.features.push_back(sum / batch);
        }
        points.labels.push_back(factor);
    }
    return points;
}

/** Multinomial logistic regression over the classes seen in training; parameters per class: d weights, 1 bias. */
class SoftmaxRegression {
public:
    void fit(const Points &train, double inverseRegularisation)
    {
        m_dims = train.dims;
        m_classes = train.labels;
        std::sort(m_classes.begin(), m_classes.end());
        m_classes.erase(std::unique(m_classes.begin(), m_classes.end()), m_classes.end());
        const int k = int(m_classes.size());
        m_theta.assign(std::size_t(k) * (m_dims + 1), 0.0);
        if (k < 2) // sklearn refuses one class; predicting it is the only sensible answer
            return;
        std::vector<int> y(train.labels.size());
        for (std::size_t i = 0; i < y.size(); ++i)
            y[i] = int(std::lower_bound(m_classes.begin(), m_classes.end(), train.labels[i]) - m_classes.begin());

        const int p = k * (m_dims + 1);
        double objective = loss(train, y, inverseRegularisation, m_theta);
        for (int step = 0; step < BetaVaeMaxNewtonSteps; ++step) {
            cv::Mat gradient(p, 1, CV_64F, 0.0), hessian(p, p, CV_64F, 0.0);
            derivatives(train, y, inverseRegularisation, gradient, hessian);
            cv::Mat direction;
            if (!cv::solve(hessian, -gradient, direction, cv::DECOMP_CHOLESKY))
                cv::solve(hessian, -gradient, direction, cv::DECOMP_SVD);
            const double slope = gradient.dot(direction); // negative for a descent direction
            if (!(slope < 0.0))
                break;
            double t = 1.0, next = objective;
            std::vector<double> candidate(m_theta.size());
            for (int halvings = 0; halvings < 60; ++halvings, t *= 0.5) {
                for (int i = 0; i < p; ++i)
                    candidate[std::size_t(i)] = m_theta[std::size_t(i)] + t * direction.at<double>(i);
                next = loss(train, y, inverseRegularisation, candidate);
                if (next <= objective + ArmijoFraction * t * slope)
                    break;
            }
            if (!(next < objective))
                break;
            m_theta = candidate;
            const double decrease = objective - next;
            objective = next;
            if (decrease <= NewtonTolerance * std::max(1.0, std::abs(objective)))
                break;
        }
    }

    int predict(const double *x) const
    {
        const int k = int(m_classes.size());
        int best = 0;
        double bestScore = 0.0;
        for (int c = 0; c < k; ++c) {
            const double s = score(m_theta, c, x);
            if (c == 0 || s > bestScore) { // ties keep the lower class, as numpy.argmax
                best = c;
                bestScore = s;
            }
        }
        return m_classes[std::size_t(best)];
    }

private:
    double score(const std::vector<double> &theta, int c, const double *x) const
    {
        const double *w = &theta[std::size_t(c) * (m_dims + 1)];
        double s = w[m_dims];
        for (int j = 0; j < m_dims; ++j)
            s += w[j] * x[j];
        return s;
    }

    void probabilities(const std::vector<double> &theta, const double *x, std::vector<double> &prob) const
    {
        const int k = int(m_classes.size());
        prob.resize(std::size_t(k));
        double top = -HUGE_VAL;
        for (int c = 0; c < k; ++c)
            top = std::max(top, prob[std::size_t(c)] = score(theta, c, x));
        double sum = 0.0;
        for (double &v : prob)
            sum += v = std::exp(v - top);
        for (double &v : prob)
            v /= sum;
    }

    double loss(const Points &train, const std::vector<int> &y, double cInverse, const std::vector<double> &theta) const
    {
        const int k = int(m_classes.size());
        double total = 0.0;
        for (std::size_t i = 0; i < y.size(); ++i) {
            const double *x = &train.features[i * m_dims];
            double top = -HUGE_VAL;
            std::vector<double> s(static_cast<std::size_t>(k));
            for (int c = 0; c < k; ++c)
                top = std::max(top, s[std::size_t(c)] = score(theta, c, x));
            double sum = 0.0;
            for (double v : s)
                sum += std::exp(v - top);
            total += top + std::log(sum) - s[std::size_t(y[i])];
        }
        double penalty = 0.0;
        for (int c = 0; c < k; ++c)
            for (int j = 0; j < m_dims; ++j)
                penalty += theta[std::size_t(c) * (m_dims + 1) + j] * theta[std::size_t(c) * (m_dims + 1) + j];
        return cInverse * total + 0.5 * penalty;
    }

    void derivatives(
        const Points &train, const std::vector<int> &y, double cInverse, cv::Mat &gradient, cv::Mat &hessian) const
    {
        const int k = int(m_classes.size()), stride = m_dims + 1;
        std::vector<double> prob, xt(static_cast<std::size_t>(stride));
        double *g = gradient.ptr<double>();
        for (std::size_t i = 0; i < y.size(); ++i) {
            const double *x = &train.features[i * m_dims];
            std::copy(x, x + m_dims, xt.begin());
            xt[std::size_t(m_dims)] = 1.0;
            probabilities(m_theta, x, prob);
            for (int c = 0; c < k; ++c) {
                const double residual = prob[std::size_t(c)] - (y[i] == c ? 1.0 : 0.0);
                for (int j = 0; j < stride; ++j)
                    g[c * stride + j] += cInverse * residual * xt[std::size_t(j)];
                for (int c2 = 0; c2 < k; ++c2) {
                    const double a = cInverse * prob[std::size_t(c)] * ((c == c2 ? 1.0 : 0.0) - prob[std::size_t(c2)]);
                    if (a == 0.0)
                        continue;
                    for (int j = 0; j < stride; ++j) {
                        double *row = hessian.ptr<double>(c * stride + j) + c2 * stride;
                        const double ax = a * xt[std::size_t(j)];
                        for (int j2 = 0; j2 < stride; ++j2)
                            row[j2] += ax * xt[std::size_t(j2)];
                    }
                }
            }
        }
        for (int c = 0; c < k; ++c) {
            for (int j = 0; j < m_dims; ++j) {
                g[c * stride + j] += m_theta[std::size_t(c * stride + j)];
                hessian.at<double>(c * stride + j, c * stride + j) += 1.0;
            }
            hessian.at<double>(c * stride + m_dims, c * stride + m_dims) += InterceptRidge;
        }
    }

    int m_dims = 0;
    std::vector<int> m_classes;
    std::vector<double> m_theta; // class-major: [w_c (m_dims), b_c]
};

double accuracyOf(const SoftmaxRegression &model, const Points &points)
{
    int correct = 0;
    for (std::size_t i = 0; i < points.labels.size(); ++i)
        correct += model.predict(&points.features[i * points.dims]) == points.labels[i];
    return double(correct) / double(points.labels.size());
}

} // namespace

BetaVaeResult computeBetaVae(const FactorSampler &sampler, const BetaVaeOptions &options)
{
    sampler.validate();
    if (options.batchSize < 1 || options.trainPoints < 1 || options.evalPoints < 1)
        throw std::invalid_argument("beta-VAE: batchSize, trainPoints and evalPoints must be positive");
    if (!(options.inverseRegularisation > 0.0))
        throw std::invalid_argument("beta-VAE: inverseRegularisation must be positive");
    SeededRandom random(options.seed);
    const Points train = generatePoints(sampler, options, options.trainPoints, random);
    const Points eval = generatePoints(sampler, options, options.evalPoints, random);
    SoftmaxRegression model;
    model.fit(train, options.inverseRegularisation);
    BetaVaeResult result;
    result.trainAccuracy = accuracyOf(model, train);
    result.evalAccuracy = accuracyOf(model, eval);
    return result;
}

} // namespace untangle
