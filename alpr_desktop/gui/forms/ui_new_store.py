# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'new_store.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QDialog,
    QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_NewStoreDialog(object):
    def setupUi(self, NewStoreDialog):
        if not NewStoreDialog.objectName():
            NewStoreDialog.setObjectName(u"NewStoreDialog")
        NewStoreDialog.resize(560, 340)
        NewStoreDialog.setModal(True)
        self.mainLayout = QVBoxLayout(NewStoreDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.introLabel = QLabel(NewStoreDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.introLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.locationLabel = QLabel(NewStoreDialog)
        self.locationLabel.setObjectName(u"locationLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.locationLabel)

        self.locationLayout = QHBoxLayout()
        self.locationLayout.setObjectName(u"locationLayout")
        self.locationEdit = QLineEdit(NewStoreDialog)
        self.locationEdit.setObjectName(u"locationEdit")

        self.locationLayout.addWidget(self.locationEdit)

        self.browseButton = QPushButton(NewStoreDialog)
        self.browseButton.setObjectName(u"browseButton")
        self.browseButton.setAutoDefault(False)

        self.locationLayout.addWidget(self.browseButton)


        self.formLayout.setLayout(0, QFormLayout.ItemRole.FieldRole, self.locationLayout)

        self.passphraseLabel = QLabel(NewStoreDialog)
        self.passphraseLabel.setObjectName(u"passphraseLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.passphraseLabel)

        self.passphraseEdit = QLineEdit(NewStoreDialog)
        self.passphraseEdit.setObjectName(u"passphraseEdit")
        self.passphraseEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.passphraseEdit)

        self.confirmLabel = QLabel(NewStoreDialog)
        self.confirmLabel.setObjectName(u"confirmLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.confirmLabel)

        self.confirmEdit = QLineEdit(NewStoreDialog)
        self.confirmEdit.setObjectName(u"confirmEdit")
        self.confirmEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.confirmEdit)

        self.hintLabel = QLabel(NewStoreDialog)
        self.hintLabel.setObjectName(u"hintLabel")
        self.hintLabel.setWordWrap(True)

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.hintLabel)

        self.rememberCheck = QCheckBox(NewStoreDialog)
        self.rememberCheck.setObjectName(u"rememberCheck")
        self.rememberCheck.setChecked(True)

        self.formLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.rememberCheck)


        self.mainLayout.addLayout(self.formLayout)

        self.errorLabel = QLabel(NewStoreDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setStyleSheet(u"color: #b00020; font-weight: bold;")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mainLayout.addWidget(self.errorLabel)

        self.verticalSpacer = QSpacerItem(20, 8, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.verticalSpacer)

        self.buttonBox = QDialogButtonBox(NewStoreDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.locationLabel.setBuddy(self.locationEdit)
        self.passphraseLabel.setBuddy(self.passphraseEdit)
        self.confirmLabel.setBuddy(self.confirmEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.locationEdit, self.browseButton)
        QWidget.setTabOrder(self.browseButton, self.passphraseEdit)
        QWidget.setTabOrder(self.passphraseEdit, self.confirmEdit)
        QWidget.setTabOrder(self.confirmEdit, self.rememberCheck)

        self.retranslateUi(NewStoreDialog)

        QMetaObject.connectSlotsByName(NewStoreDialog)
    # setupUi

    def retranslateUi(self, NewStoreDialog):
        NewStoreDialog.setWindowTitle(QCoreApplication.translate("NewStoreDialog", u"New Store", None))
        self.introLabel.setText(QCoreApplication.translate("NewStoreDialog", u"A store is one encrypted file that holds reads, images and the access log. Its key is wrapped in a key file beside the store: once per account (the account's password together with a secret kept in this computer's keyring) and once under a recovery passphrase. Keep both files together.", None))
        self.locationLabel.setText(QCoreApplication.translate("NewStoreDialog", u"&Location:", None))
        self.locationEdit.setPlaceholderText(QCoreApplication.translate("NewStoreDialog", u"Folder and file name, ending in .alprdb", None))
        self.browseButton.setText(QCoreApplication.translate("NewStoreDialog", u"&Browse\u2026", None))
        self.passphraseLabel.setText(QCoreApplication.translate("NewStoreDialog", u"&Recovery passphrase:", None))
        self.confirmLabel.setText(QCoreApplication.translate("NewStoreDialog", u"Con&firm passphrase:", None))
        self.hintLabel.setText(QCoreApplication.translate("NewStoreDialog", u"At least 12 characters. A few unrelated words are easy to remember and hard to guess. It opens the store on another computer, or when no account can sign in. Without it and without an account, nobody can open the store.", None))
        self.rememberCheck.setText(QCoreApplication.translate("NewStoreDialog", u"&Let accounts sign in on this computer (workstation secret in its keyring)", None))
    # retranslateUi

